"""The built-in principle library, written from the seed articles (English and Dutch)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    en: str
    nl: str

    def get(self, language: str) -> str:
        return self.nl if language == "nl" else self.en


@dataclass(frozen=True, slots=True)
class BuiltinPrinciple:
    slug: str  # a-z, 0-9 and '-', at most 32 chars; used as a #tag in Slack
    title: Text  # at most 60 characters in each language
    explanation: Text  # two or three sentences, own words, at most 400 chars
    try_today: Text  # one concrete action for today, imperative, at most 200 chars
    source: str  # article title as in the seed (Dutch title) and author/outlet
    kind: str  # "success" or "recovery": which kind of recognition the principle mostly describes


# Sources, as named in the seed articles.
_DAFFY = "Gouden serviceprincipes gevloerd (Chris Daffy, via Redactie, 2018)"
_THREE_POINTS = "Klantenservice is nu klantenservice (author not named, a former waiter)"
_HYKEN = "Shep Hyken Blog (Shep Hyken)"
_SIX_PRINCIPLES = (
    "Uitstekende klantenservice bieden is een kunst, geen wetenschap (author not named)"
)
_ADAM_SMITH = (
    "Uitstekende klantenservice bieden is een kunst, geen wetenschap "
    "(author not named, citing Adam Smith)"
)
_BLUNDERS = "De grootste Customer Service Blunders aller tijden (NPS Suriname, 2010)"


# Success-oriented principles open the list; recovery ones are spread out, and the sources
# alternate, so a daily rotation does not dwell on one article or one theme.
LIBRARY: tuple[BuiltinPrinciple, ...] = (
    BuiltinPrinciple(
        slug="consistency",
        title=Text(
            en="Consistency beats the occasional wow",
            nl="Consistentie wint van een incidentele wow",
        ),
        explanation=Text(
            en="Customers are amazed less by one spectacular moment than by service that is "
            "reliably a little better than average, every single time. When they know exactly "
            "what to expect, they start to think of you as their company.",
            nl="Klanten raken niet zozeer onder de indruk van één spectaculair moment, maar van "
            "service die elke keer net iets beter is dan gemiddeld. Weten ze precies wat ze van "
            "je kunnen verwachten, dan gaan ze je als 'hun' bedrijf zien.",
        ),
        try_today=Text(
            en="Pick one routine task you do for customers and do it the same careful way every "
            "time today, not only when you have a quiet moment.",
            nl="Kies één routinetaak voor klanten en voer die vandaag elke keer even zorgvuldig "
            "uit, niet alleen als het toevallig rustig is.",
        ),
        source=_HYKEN,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="care",
        title=Text(
            en="Care and attention come first",
            nl="Zorg en aandacht voor de klant",
        ),
        explanation=Text(
            en="Good service starts with genuinely caring about the person in front of you, not "
            "just the transaction. Small, attentive gestures, like meeting a need before anyone "
            "has to ask, stay with people far longer than the visit itself.",
            nl="Goede service begint met oprechte aandacht voor de persoon tegenover je, niet "
            "alleen voor de transactie. Kleine, attente gebaren, zoals iets regelen voordat "
            "iemand erom hoeft te vragen, blijven veel langer hangen dan het bezoek zelf.",
        ),
        try_today=Text(
            en="Notice one customer need today before it is spoken, and act on it straight away.",
            nl="Merk vandaag één behoefte van een klant op voordat die wordt uitgesproken, en "
            "doe er meteen iets mee.",
        ),
        source=_THREE_POINTS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="their-way",
        title=Text(
            en="Treat customers the way they want",
            nl="Behandel klanten zoals zij dat willen",
        ),
        explanation=Text(
            en="The old rule says to treat customers as you would like to be treated, but that "
            "assumes everyone is like you. Customers differ and want different things, so find "
            "out what this one needs and serve them that way, in a way the business can sustain.",
            nl="De oude regel luidt: behandel klanten zoals je zelf behandeld wilt worden. Maar "
            "dan ga je ervan uit dat iedereen op jou lijkt. Klanten verschillen, dus zoek uit "
            "wat deze klant wil en speel daarop in, op een manier die voor het bedrijf haalbaar "
            "blijft.",
        ),
        try_today=Text(
            en="Ask one customer today how they prefer to be helped (a call or an email, a quick "
            "answer or the full detail) and follow that preference.",
            nl="Vraag vandaag één klant hoe die het liefst geholpen wordt (bellen of mailen, kort "
            "antwoord of alle details) en houd je daaraan.",
        ),
        source=_DAFFY,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="spot-the-good",
        title=Text(
            en="Use feedback to find what goes right",
            nl="Zoek in feedback naar wat goed gaat",
        ),
        explanation=Text(
            en="When surveys are only mined for faults, staff experience them as a hunt for "
            "someone to blame. Successful teams read customer feedback for stories of people "
            "doing things well, and make those stories the basis for recognition.",
            nl="Wie klantfeedback alleen doorzoekt op fouten, maakt er voor medewerkers een "
            "zoektocht naar een schuldige van. Succesvolle teams lezen feedback juist op "
            "verhalen over collega's die het goed doen, en gebruiken die om mensen te erkennen.",
        ),
        try_today=Text(
            en="Read through recent customer feedback, find one compliment about a colleague, "
            "and pass it on to them with a shout-out.",
            nl="Lees recente klantfeedback door, zoek één compliment over een collega en geef "
            "dat door met een shout-out.",
        ),
        source=_BLUNDERS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="always-polite",
        title=Text(
            en="Always be polite",
            nl="Blijf altijd beleefd",
        ),
        explanation=Text(
            en="It sounds obvious, yet rudeness from staff is still common, and customers can be "
            "difficult too. Staying courteous when a conversation gets hard is a real skill, and "
            "it is exactly what sets excellent service apart.",
            nl="Het klinkt vanzelfsprekend, maar onbeleefd personeel komt nog altijd veel voor, "
            "en ook klanten kunnen lastig zijn. Vriendelijk blijven als een gesprek moeizaam "
            "loopt is een vaardigheid op zich, en juist daarin onderscheidt uitstekende service "
            "zich.",
        ),
        try_today=Text(
            en="In your next difficult conversation, pause before replying and answer the way "
            "you would want a colleague to hear you.",
            nl="Neem in je volgende lastige gesprek even pauze voordat je reageert, en antwoord "
            "zoals je zou willen dat een collega je hoort.",
        ),
        source=_SIX_PRINCIPLES,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="make-it-right",
        title=Text(
            en="Make it right when the process fails",
            nl="Maak het goed als het proces faalt",
        ),
        explanation=Text(
            en="Even a good process lets a customer down now and then. Recovery means taking "
            "responsibility for putting it right with that person, rather than explaining why "
            "the system did what it did. Handled well, what the customer remembers is how you "
            "sorted it out.",
            nl="Ook een goed proces laat een klant weleens in de steek. Herstel betekent dat je "
            "de verantwoordelijkheid neemt om het met die klant recht te zetten, in plaats van "
            "uit te leggen waarom het systeem deed wat het deed. Goed aangepakt onthoudt de klant "
            "vooral hoe jij het oploste.",
        ),
        try_today=Text(
            en="Find one open case where something went wrong for a customer and see it through "
            "yourself until they say it is fixed.",
            nl="Zoek één lopende zaak waarin iets misging voor een klant en zorg er zelf voor "
            "dat het wordt opgelost, tot de klant zegt dat het goed is.",
        ),
        source=_THREE_POINTS,
        kind="recovery",
    ),
    BuiltinPrinciple(
        slug="build-on-strengths",
        title=Text(
            en="Build on what goes well",
            nl="Bouw voort op wat goed gaat",
        ),
        explanation=Text(
            en="Fixing every fault and weakness feels logical, but in service the payoff rarely "
            "matches the effort. You get further by finding what already works, doing more of "
            "it, and holding those successes up as the example for the rest of the team.",
            nl="Elke fout en zwakte repareren voelt logisch, maar in service levert het zelden "
            "op wat het kost. Je komt verder door te ontdekken wat al goed werkt, daar meer van "
            "te doen en die successen als voorbeeld voor het hele team te gebruiken.",
        ),
        try_today=Text(
            en="Name one thing your team did well this week, work out why it worked, and repeat "
            "it on purpose today.",
            nl="Benoem één ding dat je team deze week goed deed, ga na waarom het werkte en doe "
            "het vandaag bewust nog een keer.",
        ),
        source=_DAFFY + "; " + _BLUNDERS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="listen-for-always",
        title=Text(
            en='Listen for "always" followed by praise',
            nl='Luister naar "altijd" met iets positiefs erna',
        ),
        explanation=Text(
            en='You can hear when customers trust you: they say "always" and then something '
            'good, as in "they are always so helpful". That word tells you your service has '
            "become something they count on, even when a problem comes up.",
            nl='Je hoort het wanneer klanten op je vertrouwen: ze zeggen "altijd" en dan iets '
            'goeds, zoals "ze zijn altijd zo behulpzaam". Dat woordje verraadt dat je service '
            "iets is geworden waar ze op rekenen, ook als er eens iets misgaat.",
        ),
        try_today=Text(
            en='Search today\'s messages, reviews or call notes for "always" plus something '
            "positive, and share the quote with the colleague it was about.",
            nl='Zoek in de berichten, reviews of gespreksnotities van vandaag naar "altijd" met '
            "iets positiefs erna, en deel dat citaat met de collega over wie het ging.",
        ),
        source=_HYKEN,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="own-ideas",
        title=Text(
            en="Let employees own improvement ideas",
            nl="Laat medewerkers eigenaar zijn van verbeterideeën",
        ),
        explanation=Text(
            en="Training that imposes prescribed behaviour often fails and is quietly rejected "
            "by the very people it targets. Let staff brainstorm their own ideas for better "
            "service; the manager's job is then to help put those ideas into practice, so the "
            "team carries them.",
            nl="Trainingen die voorgeschreven gedrag opleggen, werken vaak niet en worden door "
            "medewerkers stilletjes afgewezen. Laat het team zelf ideeën voor betere service "
            "bedenken; als leidinggevende help je vervolgens om die uit te voeren, zodat ze ook "
            "echt gedragen worden.",
        ),
        try_today=Text(
            en="Ask a colleague for one idea that would make things easier for customers, and "
            "help them try it this week instead of adding it to a list.",
            nl="Vraag een collega om één idee dat het klanten makkelijker maakt, en help om het "
            "deze week echt uit te proberen in plaats van het op een lijstje te zetten.",
        ),
        source=_BLUNDERS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="not-always-right",
        title=Text(
            en="Customers aren't always right; serve them well anyway",
            nl="Klanten hebben niet altijd gelijk: help ze toch goed",
        ),
        explanation=Text(
            en="Customers are often mistaken, and pretending otherwise also suggests they matter "
            "more than your own people. Admit that they can be wrong, and put your energy into "
            "working out how to serve them as well as possible regardless.",
            nl="Klanten zitten er regelmatig naast, en doen alsof dat niet zo is, suggereert "
            "bovendien dat zij belangrijker zijn dan je eigen mensen. Erken dat een klant het "
            "mis kan hebben en steek je energie in de vraag hoe je hem toch zo goed mogelijk "
            "helpt.",
        ),
        try_today=Text(
            en="When a customer is wrong today, skip proving it: explain the facts calmly and "
            "offer the best option you can.",
            nl="Heeft een klant vandaag ongelijk, probeer dat dan niet te bewijzen: leg rustig "
            "uit hoe het zit en bied de beste oplossing die je kunt geven.",
        ),
        source=_DAFFY,
        kind="recovery",
    ),
    BuiltinPrinciple(
        slug="answer-the-phone",
        title=Text(
            en="Answer the phone: every call matters",
            nl="Neem de telefoon op: elk gesprek telt",
        ),
        explanation=Text(
            en="If someone takes the trouble to call, assume it matters to them, even if it "
            "seems trivial to you. Pick up promptly, and when you really cannot, make it easy to "
            "leave a message and call back at the first chance you get.",
            nl="Als iemand de moeite neemt om te bellen, ga er dan van uit dat het voor diegene "
            "belangrijk is, ook al lijkt het jou een kleinigheid. Neem snel op, en lukt dat echt "
            "niet, zorg dan dat de beller makkelijk een bericht kan achterlaten en bel bij de "
            "eerste gelegenheid terug.",
        ),
        try_today=Text(
            en="Return every missed call and voicemail today before you finish work, starting "
            "with the oldest.",
            nl="Bel vandaag alle gemiste oproepen en voicemails terug voordat je klaar bent met "
            "werken, te beginnen met de oudste.",
        ),
        source=_SIX_PRINCIPLES,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="flexibility",
        title=Text(
            en="Give front-line staff room to be flexible",
            nl="Geef de frontlinie ruimte om flexibel te zijn",
        ),
        explanation=Text(
            en="The people who face customers are best placed to solve problems on the spot, if "
            "they have the freedom to act spontaneously. A restaurant owner who crosses the "
            "street to fetch the one thing a guest asked for is the kind of gesture people talk "
            "about for years.",
            nl="Wie direct met klanten werkt, kan problemen het best ter plekke oplossen, mits "
            "er ruimte is om spontaan te handelen. Een restauranthouder die even de straat "
            "oversteekt om te halen waar een gast om vroeg: zo'n gebaar vergeten gasten niet.",
        ),
        try_today=Text(
            en="Within reason, solve one customer request on the spot today that you would "
            "normally pass on or postpone.",
            nl="Los vandaag één klantvraag meteen zelf op die je normaal zou doorzetten of "
            "uitstellen, als dat redelijkerwijs kan.",
        ),
        source=_THREE_POINTS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="complaints",
        title=Text(
            en="Acknowledge, apologise, fix it fast",
            nl="Erkennen, excuses maken, snel oplossen",
        ),
        explanation=Text(
            en="A complaint puts a customer back into doubt about you. Acknowledge the problem "
            "and apologise, even when it was not your fault, then fix it with a sense of urgency "
            "and a positive attitude; handled that way, a complaint rebuilds trust.",
            nl="Een klacht zet een klant weer aan het twijfelen over jou. Erken het probleem en "
            "bied excuses aan, ook als het niet jouw schuld was, en los het daarna met urgentie "
            "en een positieve houding op; zo herstel je het vertrouwen.",
        ),
        try_today=Text(
            en="With the next complaint you get, start with a sincere sorry before any "
            "explanation, and tell the customer when it will be fixed.",
            nl="Begin bij de eerstvolgende klacht met een oprecht 'sorry', nog vóór enige "
            "uitleg, en vertel de klant wanneer het opgelost is.",
        ),
        source=_HYKEN,
        kind="recovery",
    ),
    BuiltinPrinciple(
        slug="recognise-success",
        title=Text(
            en="Recognise success, not only repaired mistakes",
            nl="Erken succes, niet alleen herstelde fouten",
        ),
        explanation=Text(
            en="If people are only praised for fixing errors, a mistake quietly becomes a chance "
            "to shine. Celebrate the work that simply went right as well, so that steady, good "
            "work gets noticed too.",
            nl="Wie alleen lof krijgt voor het herstellen van fouten, gaat een fout al snel zien "
            "als een kans om te schitteren. Vier daarom ook het werk dat gewoon goed ging, zodat "
            "degelijk werk net zo goed opvalt.",
        ),
        try_today=Text(
            en="Give a shout-out today to a colleague whose work went smoothly, with no drama "
            "at all.",
            nl="Geef vandaag een shout-out aan een collega bij wie alles soepel liep, zonder "
            "enig drama.",
        ),
        source=_BLUNDERS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="hire-for-attitude",
        title=Text(
            en="Hire and train for attitude",
            nl="Selecteer en train op houding",
        ),
        explanation=Text(
            en="Training helps, but it is not what makes great service. Great service takes a "
            "certain character and attitude, so choose people who already have it and invest "
            "your training in them.",
            nl="Training helpt, maar maakt op zichzelf nog geen goede service. Daarvoor zijn een "
            "bepaald karakter en een bepaalde houding nodig, dus kies mensen die dat al in zich "
            "hebben en investeer je training in hen.",
        ),
        try_today=Text(
            en="Tell one colleague today, in one concrete sentence, which part of their attitude "
            "makes customers feel welcome.",
            nl="Vertel vandaag een collega in één concrete zin door welke houding klanten zich "
            "bij hem of haar welkom voelen.",
        ),
        source=_DAFFY,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="time-and-effort",
        title=Text(
            en="The real cost is the customer's time and effort",
            nl="De echte prijs is de tijd en moeite van de klant",
        ),
        explanation=Text(
            en="Adam Smith observed that the true cost of anything is the time and trouble it "
            "takes to get it. For customers, every extra form, transfer or wait adds to the "
            "price, so real value comes from making things effortless.",
            nl="Adam Smith merkte al op dat de werkelijke kosten van iets de tijd en moeite zijn "
            "die het kost om het te krijgen. Voor klanten telt dus elk extra formulier, "
            "doorverbinden of wachten mee in de prijs; waarde lever je door het ze moeiteloos "
            "te maken.",
        ),
        try_today=Text(
            en="Find one step customers have to take that you could remove or do for them, and "
            "get rid of it today.",
            nl="Zoek één stap die klanten nu zelf moeten zetten en die jij kunt schrappen of "
            "overnemen, en regel dat vandaag.",
        ),
        source=_ADAM_SMITH,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="keep-improving",
        title=Text(
            en="Improve continuously, don't chase perfection",
            nl="Blijf verbeteren in plaats van perfectie na te jagen",
        ),
        explanation=Text(
            en="First Time Right is a noble aim, but perfection in service is close to "
            "impossible. Staying among the best means constantly trying new things, and trial "
            "and error comes with that. Treat small misses as part of getting better.",
            nl="Alles in één keer goed is een mooi streven, maar perfecte service bestaat "
            "eigenlijk niet. Wie de beste wil worden en blijven, probeert steeds nieuwe dingen "
            "uit, en daar hoort vallen en opstaan bij. Zie kleine missers als onderdeel van "
            "beter worden.",
        ),
        try_today=Text(
            en="Try one small change in how you help customers today, note what happened, and "
            "adjust it tomorrow.",
            nl="Probeer vandaag één kleine verandering in hoe je klanten helpt, noteer wat er "
            "gebeurde en stel het morgen bij.",
        ),
        source=_DAFFY,
        kind="recovery",
    ),
    BuiltinPrinciple(
        slug="personal-touch",
        title=Text(
            en="Make customers feel like people, not numbers",
            nl="Laat klanten zich een mens voelen, geen nummer",
        ),
        explanation=Text(
            en="With so much contact now automated, every personal interaction weighs more in "
            "how a company is seen. Using someone's name or asking how their day is going are "
            "small things that make a customer feel like a person rather than a number.",
            nl="Nu zoveel contact geautomatiseerd is, weegt elk persoonlijk gesprek zwaarder "
            "voor het beeld van een bedrijf. Iemand bij naam aanspreken of vragen hoe het gaat, "
            "zijn kleine dingen waardoor een klant zich een mens voelt in plaats van een nummer.",
        ),
        try_today=Text(
            en="In every conversation today, use the customer's name and ask one genuine "
            "question about how they are doing.",
            nl="Spreek klanten vandaag in elk gesprek aan bij hun naam en stel één oprechte "
            "vraag over hoe het met ze gaat.",
        ),
        source=_THREE_POINTS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="clear-obstacles",
        title=Text(
            en="Remove obstacles and look at your own culture",
            nl="Ruim obstakels op en kijk naar je eigen cultuur",
        ),
        explanation=Text(
            en="Blaming poor service on unmotivated staff misses the point. Look inward as well: "
            "invite employees to name the operational obstacles in their way and to help solve "
            "them, and the way the whole organisation works starts to shift.",
            nl="Slechte service afschuiven op ongemotiveerde medewerkers mist de kern. Kijk ook "
            "naar binnen: nodig medewerkers uit om de operationele obstakels te benoemen die hen "
            "hinderen en om mee te denken over oplossingen, dan verandert de manier waarop de "
            "hele organisatie werkt.",
        ),
        try_today=Text(
            en="Ask your team which obstacle held them up most with customers this week, and "
            "agree who removes it and by when.",
            nl="Vraag je team welk obstakel ze deze week het meest ophield bij klanten, en "
            "spreek af wie het wegneemt en wanneer.",
        ),
        source=_BLUNDERS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="face-problems",
        title=Text(
            en="Face problems head-on",
            nl="Ga problemen niet uit de weg",
        ),
        explanation=Text(
            en="Problems will happen whatever you do, and each one makes a customer wonder "
            "whether you will act. Tackling it openly instead of avoiding it shows they can "
            "count on you, and that trust stays with them when the next problem comes along.",
            nl="Problemen ontstaan hoe dan ook, en bij elk probleem vraagt een klant zich af of "
            "je in actie komt. Pak het open aan in plaats van het te ontlopen: zo laat je zien "
            "dat ze op je kunnen rekenen, en dat vertrouwen blijft, ook bij een volgend probleem.",
        ),
        try_today=Text(
            en="Pick the customer issue you have been putting off, and contact that customer "
            "first thing today with a clear next step.",
            nl="Pak het klantprobleem op dat je al even voor je uit schuift, en neem vandaag als "
            "eerste contact op met die klant, met een duidelijke volgende stap.",
        ),
        source=_HYKEN,
        kind="recovery",
    ),
    BuiltinPrinciple(
        slug="value-not-price",
        title=Text(
            en="Compete on value, not price",
            nl="Concurreer op waarde, niet op prijs",
        ),
        explanation=Text(
            en="Price only decides a purchase when everything else is equal, and everything "
            "else never is. Customers judge value by how helpful, friendly and personally "
            "attentive you are, and a truly customer-minded culture wins on that in the long run.",
            nl="Prijs geeft pas de doorslag als al het andere gelijk is, en dat is nooit zo. "
            "Klanten beoordelen waarde op hoe behulpzaam, vriendelijk en persoonlijk je bent, "
            "en een echt klantgerichte cultuur wint het daarop op de lange termijn.",
        ),
        try_today=Text(
            en="Before offering a discount today, ask what would make the offer more valuable "
            "to this customer, and offer that instead.",
            nl="Vraag je vandaag, voordat je korting geeft, af wat het aanbod voor deze klant "
            "waardevoller zou maken, en bied dat aan.",
        ),
        source=_BLUNDERS,
        kind="success",
    ),
)
