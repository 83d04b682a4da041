"""The built-in principle library, written from the seed articles (English and Dutch)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Text:
    en: str
    nl: str

    def get(self, language: str) -> str:
        return self.nl if language == "nl" else self.en

    def __add__(self, other: Text) -> Text:
        """Two sources named together, in each language."""
        return Text(en=f"{self.en}; {other.en}", nl=f"{self.nl}; {other.nl}")


@dataclass(frozen=True, slots=True)
class BuiltinPrinciple:
    slug: str  # a-z, 0-9 and '-', at most 32 chars; used as a #tag in Slack
    title: Text  # at most 60 characters in each language
    explanation: Text  # two or three sentences, own words, at most 400 chars
    try_today: Text  # one concrete action for today, imperative, at most 200 chars
    source: Text  # the article's title as published (Dutch), then who wrote it, in each language
    kind: str  # "success" or "recovery": which kind of recognition the principle mostly describes


# Sources, as named in the seed articles: the title stays as published, the rest is translated.
_DAFFY = Text(
    en="Gouden serviceprincipes gevloerd (Chris Daffy, via the editors, 9 August 2018)",
    nl="Gouden serviceprincipes gevloerd (Chris Daffy, via de redactie, 9 augustus 2018)",
)
_THREE_POINTS = Text(
    en="Klantenservice is nu klantenservice (author not named, a former waiter)",
    nl="Klantenservice is nu klantenservice (auteur niet vermeld, een oud-ober)",
)
_HYKEN = Text(
    en="Shep Hyken Blog (Shep Hyken, customer-service expert)",
    nl="Shep Hyken Blog (Shep Hyken, klantenservice-expert)",
)
_SIX_PRINCIPLES = Text(
    en="Uitstekende klantenservice bieden is een kunst, geen wetenschap (author not named)",
    nl="Uitstekende klantenservice bieden is een kunst, geen wetenschap (auteur niet vermeld)",
)
_ADAM_SMITH = Text(
    en="Uitstekende klantenservice bieden is een kunst, geen wetenschap "
    "(author not named, citing Adam Smith)",
    nl="Uitstekende klantenservice bieden is een kunst, geen wetenschap "
    "(auteur niet vermeld, naar Adam Smith)",
)
_BLUNDERS = Text(
    en="De grootste Customer Service Blunders aller tijden (NPS, Suriname, 1 April 2010)",
    nl="De grootste Customer Service Blunders aller tijden (NPS, Suriname, 1 april 2010)",
)


# Success-oriented principles open the list; recovery ones are spread out, and the sources
# alternate, so a daily rotation does not dwell on one article or one theme.
LIBRARY: tuple[BuiltinPrinciple, ...] = (
    BuiltinPrinciple(
        slug="consistency",
        title=Text(
            en="Consistency beats the occasional wow",
            nl="Liever altijd goed dan af en toe geweldig",
        ),
        explanation=Text(
            en="Customers are amazed less by one spectacular moment than by service that is "
            "reliably a little better than average, every single time. When they know exactly "
            "what to expect, they start to think of you as their company.",
            nl="Klanten zijn minder onder de indruk van één spectaculair moment dan van service "
            "die elke keer net iets beter is dan gemiddeld. Weten ze precies wat ze aan je "
            "hebben, dan gaan ze je als 'hun' bedrijf zien.",
        ),
        try_today=Text(
            en="Pick one task you do for customers again and again, and do it with the same care "
            "every time, even when it gets busy.",
            nl="Kies één taak die je steeds weer voor klanten doet, en doe die elke keer even "
            "zorgvuldig, ook als het druk wordt.",
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
            "just the task at hand. Small, attentive gestures, like meeting a need before anyone "
            "has to ask, stay with people far longer than the visit or the call itself.",
            nl="Goede service begint bij oprechte aandacht voor de mens tegenover je, niet alleen "
            "voor de vraag die je afhandelt. Kleine gebaren, zoals iets regelen nog voordat "
            "iemand erom vraagt, onthouden mensen veel langer dan het bezoek of gesprek zelf.",
        ),
        try_today=Text(
            en="Sort out one thing a customer needs before they have to ask for it.",
            nl="Regel voor één klant iets waar die nog niet om gevraagd heeft.",
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
            "out what this one wants and give them that, in a way the business can keep up.",
            nl="De oude regel zegt: behandel klanten zoals je zelf behandeld wilt worden. Maar "
            "dan ga je ervan uit dat iedereen is zoals jij, terwijl klanten verschillen. Zoek "
            "dus uit wat déze klant wil en zorg daarvoor, op een manier die het bedrijf kan "
            "volhouden.",
        ),
        try_today=Text(
            en="Ask one customer how they like to be helped (phone or email, short or in full "
            "detail) and stick to it.",
            nl="Vraag één klant hoe die het liefst geholpen wordt (telefoon of mail, kort of "
            "uitgebreid) en houd je daaraan.",
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
            "zoektocht naar een schuldige van. Succesvolle teams zoeken in feedback juist naar "
            "verhalen over collega's die het goed doen, en zetten die mensen in het zonnetje.",
        ),
        try_today=Text(
            en="Look through recent customer feedback for one compliment about a colleague, and "
            "pass it on with a shout-out.",
            nl="Zoek in recente klantfeedback één compliment over een collega en geef het door, "
            "met kudos erbij.",
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
            en="It sounds obvious, yet staff are still often rude, and customers can be difficult "
            "too. Staying courteous when a conversation gets hard is a real skill, and it is "
            "exactly what makes service excellent.",
            nl="Het klinkt vanzelfsprekend, en toch zijn medewerkers nog vaak onbeleefd. Ook "
            "klanten kunnen lastig zijn: vriendelijk blijven als een gesprek moeizaam loopt, is "
            "een vak apart, en precies dat maakt service uitstekend.",
        ),
        try_today=Text(
            en="In your next difficult conversation, take a breath before you reply, and answer "
            "in a way you would be happy for your colleagues to hear.",
            nl="Haal in je volgende lastige gesprek even adem voordat je reageert, en antwoord zo "
            "dat je collega's het gerust mogen horen.",
        ),
        source=_SIX_PRINCIPLES,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="make-it-right",
        title=Text(
            en="Make it right when the process fails",
            nl="Maak het goed als er iets misgaat",
        ),
        explanation=Text(
            en="Even a good process lets a customer down now and then. Recovery means taking "
            "responsibility for putting it right with that person, rather than explaining why "
            "the system did what it did. Handled well, what the customer remembers is how you "
            "sorted it out.",
            nl="Ook een goed proces laat een klant weleens in de steek. Herstel betekent dat je "
            "zelf verantwoordelijkheid neemt en het met die klant rechtzet, in plaats van uit te "
            "leggen waarom het systeem deed wat het deed. Pak je het goed aan, dan onthoudt de "
            "klant vooral hoe jij het hebt opgelost.",
        ),
        try_today=Text(
            en="Take one open case where something went wrong for a customer and see it through "
            "yourself until they say it is fixed.",
            nl="Pak één lopende zaak op waarin iets misging voor een klant, en houd die zelf in "
            "handen tot de klant zegt dat het goed is.",
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
            nl="Elke fout en zwakke plek aanpakken lijkt logisch, maar in service levert dat "
            "zelden op wat het kost. Je komt verder door uit te zoeken wat al goed werkt, daar "
            "meer van te doen en die successen aan het hele team als voorbeeld te laten zien.",
        ),
        try_today=Text(
            en="Name one thing your team did well this week, work out why it worked, and repeat "
            "it on purpose today.",
            nl="Noem één ding dat je team deze week goed deed, zoek uit waarom het werkte en doe "
            "het vandaag bewust nog een keer.",
        ),
        source=_DAFFY + _BLUNDERS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="listen-for-always",
        title=Text(
            en='Listen for "always" followed by praise',
            nl='Luister naar "altijd" gevolgd door iets goeds',
        ),
        explanation=Text(
            en='You can hear when customers trust you: they say "always" and then something '
            'good, as in "they are always so helpful". That word tells you your service has '
            "become something they count on, even when a problem comes up.",
            nl='Je hoort het als klanten op je vertrouwen: ze zeggen "altijd" en dan iets goeds, '
            'zoals "ze zijn altijd zo behulpzaam". Dat ene woord laat horen dat ze op je service '
            "rekenen, ook als er eens iets misgaat.",
        ),
        try_today=Text(
            en='Search today\'s messages, reviews or call notes for "always" plus something '
            "positive, and share the quote with the colleague it was about.",
            nl='Zoek in berichten, reviews of gespreksnotities van vandaag naar "altijd" met iets '
            "positiefs erna, en stuur dat citaat naar de collega over wie het gaat.",
        ),
        source=_HYKEN,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="own-ideas",
        title=Text(
            en="Let employees own improvement ideas",
            nl="Laat medewerkers zelf met verbeteringen komen",
        ),
        explanation=Text(
            en="Training that prescribes how people should behave often fails, and the people it "
            "targets quietly reject it. Let staff come up with their own ideas for better "
            "service and, as a manager, help put them into practice: then the ideas are theirs, "
            "and they carry them.",
            nl="Een training die voorschrijft hoe medewerkers zich moeten gedragen, werkt vaak "
            "niet: ze haken stilletjes af. Laat het team zelf ideeën voor betere service "
            "bedenken en help als leidinggevende om ze uit te voeren. Dan zijn het hun eigen "
            "ideeën, en die maken ze ook waar.",
        ),
        try_today=Text(
            en="Ask a colleague for one idea that would make things easier for customers, and "
            "try it out together before the day is over.",
            nl="Vraag een collega om één idee dat het klanten makkelijker maakt, en probeer het "
            "vandaag nog samen uit.",
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
            nl="Klanten zitten er geregeld naast. Doe je alsof ze altijd gelijk hebben, dan zet "
            "je ze bovendien boven je eigen collega's. Erken dat een klant zich kan vergissen, "
            "en steek je energie in de vraag hoe je die klant toch zo goed mogelijk helpt.",
        ),
        try_today=Text(
            en="When a customer is wrong, skip proving it: explain the facts calmly and offer the "
            "best option you have.",
            nl="Heeft een klant ongelijk, ga dan niet je gelijk halen: leg rustig uit hoe het zit "
            "en bied de beste oplossing die je hebt.",
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
            nl="Neemt iemand de moeite om te bellen, ga er dan van uit dat het belangrijk is, ook "
            "al lijkt het jou een kleinigheid. Neem snel op. Lukt dat echt niet, zorg dan dat "
            "mensen makkelijk een bericht kunnen achterlaten, en bel zo snel mogelijk terug.",
        ),
        try_today=Text(
            en="Before you finish work today, return every missed call and voicemail, oldest "
            "first.",
            nl="Bel vóór het einde van je werkdag alle gemiste oproepen en voicemails terug, de "
            "oudste eerst.",
        ),
        source=_SIX_PRINCIPLES,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="flexibility",
        title=Text(
            en="Give front-line staff room to be flexible",
            nl="Geef wie klanten helpt de ruimte om flexibel te zijn",
        ),
        explanation=Text(
            en="The people who face customers are best placed to solve problems on the spot, if "
            "they have the freedom to act spontaneously. A restaurant owner who pops across the "
            "street to buy the margarine a guest asked for is the kind of gesture people talk "
            "about for years.",
            nl="Wie direct met klanten werkt, kan problemen het best ter plekke oplossen, mits er "
            "ruimte is om spontaan te handelen. Een restauranthouder die even naar de winkel aan "
            "de overkant loopt omdat een gast om margarine vroeg: zo'n gebaar vergeten gasten "
            "niet.",
        ),
        try_today=Text(
            en="Within reason, solve one customer request on the spot that you would normally "
            "pass on or put off.",
            nl="Los één klantvraag meteen zelf op die je anders zou doorsturen of laten liggen, "
            "als dat redelijkerwijs kan.",
        ),
        source=_THREE_POINTS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="complaints",
        title=Text(
            en="Acknowledge, apologise, fix it fast",
            nl="Erken het, zeg sorry en los het snel op",
        ),
        explanation=Text(
            en="A complaint makes a customer doubt you again. Acknowledge the problem and "
            "apologise, even when it was not your fault, then fix it with a sense of urgency and "
            "a positive attitude; handled that way, a complaint rebuilds trust.",
            nl="Door een klacht gaat een klant weer aan je twijfelen. Erken het probleem en bied "
            "oprecht je excuses aan, ook als het niet jouw schuld is. Los het daarna snel en met "
            "een positieve instelling op: zo win je het vertrouwen terug.",
        ),
        try_today=Text(
            en="With the next complaint you get, say a sincere sorry before any explanation, and "
            "tell the customer by when it will be fixed.",
            nl="Zeg bij de volgende klacht eerst oprecht sorry, nog voordat je iets uitlegt, en "
            "vertel de klant wanneer het opgelost zal zijn.",
        ),
        source=_HYKEN,
        kind="recovery",
    ),
    BuiltinPrinciple(
        slug="recognise-success",
        title=Text(
            en="Recognise success, not only repaired mistakes",
            nl="Waardeer wat goed gaat, niet alleen wat is hersteld",
        ),
        explanation=Text(
            en="If people are only praised for fixing errors, a mistake quietly becomes a chance "
            "to shine. Celebrate the work that simply went right as well, so that steady, good "
            "work gets noticed too.",
            nl="Wie alleen lof krijgt voor het herstellen van fouten, gaat een fout al snel zien "
            "als een kans om te schitteren. Vier daarom ook het werk dat gewoon goed ging, zodat "
            "ook degelijk werk wordt gezien.",
        ),
        try_today=Text(
            en="Give a shout-out to a colleague whose work simply went smoothly, without any fuss.",
            nl="Geef kudos aan een collega bij wie alles gewoon soepel liep, zonder gedoe.",
        ),
        source=_BLUNDERS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="hire-for-attitude",
        title=Text(
            en="Hire and train for attitude",
            nl="Let bij aannemen en opleiden op houding",
        ),
        explanation=Text(
            en="Training helps, but it is not what makes service great. Character and attitude "
            "do, so choose people who already bring them, and invest your training in those "
            "people.",
            nl="Een goede training is mooi meegenomen, maar wat service echt goed maakt, zijn "
            "karakter en houding. Kies dus mensen die dat al meebrengen, en steek je training "
            "in hen.",
        ),
        try_today=Text(
            en="Choose one attitude you want customers to feel from you, such as patience or "
            "curiosity, and at the end of the day note where you kept it and where it slipped.",
            nl="Kies één houding die klanten aan je moeten merken, zoals geduld of "
            "nieuwsgierigheid, en kijk aan het eind van de dag waar dat lukte en waar niet.",
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
            en="Adam Smith observed that the real cost of anything is the time and trouble it "
            "takes to get it. For customers, every extra form, transfer or wait adds to the "
            "price, so real value comes from making things effortless.",
            nl="Adam Smith zei het al: wat iets echt kost, is de tijd en moeite die het vraagt om "
            "het te krijgen. Voor klanten telt dus elk extra formulier, elke doorverbinding en "
            "elke minuut wachten mee in de prijs. Waarde bied je door het ze zo makkelijk "
            "mogelijk te maken.",
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
            nl="Blijf verbeteren, jaag geen perfectie na",
        ),
        explanation=Text(
            en="First Time Right is a noble aim, but perfection in service is close to "
            "impossible. Staying among the best means constantly trying new things, and trial "
            "and error comes with that. Treat small misses as part of getting better.",
            nl="Alles in één keer goed is een mooi streven, maar perfecte service bestaat "
            "eigenlijk niet. Wie de beste wil worden en blijven, probeert steeds nieuwe dingen "
            "uit, en daar hoort vallen en opstaan bij. Een kleine misser is gewoon een stap "
            "naar beter.",
        ),
        try_today=Text(
            en="Change one small thing in how you help customers, note what happens, and adjust "
            "it tomorrow.",
            nl="Verander één klein ding in hoe je klanten helpt, noteer wat er gebeurt en stel "
            "het morgen bij.",
        ),
        source=_DAFFY,
        kind="recovery",
    ),
    BuiltinPrinciple(
        slug="personal-touch",
        title=Text(
            en="Make customers feel like people, not numbers",
            nl="Een klant is een mens, geen nummer",
        ),
        explanation=Text(
            en="With so much contact now automated, every personal interaction weighs more in "
            "how a company is seen. Using someone's name or asking how their day is going are "
            "small things that make a customer feel like a person rather than a number.",
            nl="Nu zoveel contact geautomatiseerd is, weegt elk persoonlijk gesprek zwaarder voor "
            "het beeld van een bedrijf. Iemand bij naam noemen, even vragen hoe het gaat: het "
            "zijn kleine dingen, maar daardoor voelt een klant zich een mens in plaats van een "
            "nummer.",
        ),
        try_today=Text(
            en="In every conversation, use the customer's name and ask one genuine question about "
            "how they are doing.",
            nl="Spreek klanten in elk gesprek bij hun naam aan en vraag oprecht hoe het met ze "
            "gaat.",
        ),
        source=_THREE_POINTS,
        kind="success",
    ),
    BuiltinPrinciple(
        slug="clear-obstacles",
        title=Text(
            en="Remove obstacles and look at your own culture",
            nl="Ruim hindernissen op en kijk naar je eigen cultuur",
        ),
        explanation=Text(
            en="Blaming poor service on unmotivated staff is too easy. Look inward as well: ask "
            "employees which practical obstacles get in their way and let them help solve them, "
            "and the way the whole organisation works starts to shift.",
            nl="Slechte service afschuiven op ongemotiveerde medewerkers is te makkelijk. Kijk "
            "ook naar jezelf: vraag medewerkers welke praktische hindernissen ze in hun werk "
            "tegenkomen en laat ze meedenken over oplossingen. Zo verandert de hele organisatie "
            "mee.",
        ),
        try_today=Text(
            en="Ask your team which obstacle held them up most with customers this week, and "
            "agree who removes it and by when.",
            nl="Vraag je team welke hindernis deze week het meest in de weg stond bij het helpen "
            "van klanten, en spreek af wie die wegneemt en wanneer.",
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
            nl="Problemen komen er hoe dan ook, en bij elk probleem vraagt een klant zich af of "
            "je er iets aan doet. Pak het open aan in plaats van het te ontlopen: zo laat je "
            "zien dat ze op je kunnen rekenen, en dat vertrouwen blijft ook bij een volgend "
            "probleem overeind.",
        ),
        try_today=Text(
            en="Start your day by contacting the customer whose issue you have been putting off, "
            "with a clear next step.",
            nl="Begin je dag met een telefoontje of mail aan de klant met het probleem dat je al "
            "een tijdje voor je uit schuift, en noem een duidelijke volgende stap.",
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
            nl="Prijs geeft pas de doorslag als al het andere gelijk is, en dat is het nooit. "
            "Klanten meten waarde af aan hoe behulpzaam, vriendelijk en persoonlijk je bent, en "
            "juist daarmee wint een echt klantgerichte organisatie op den duur.",
        ),
        try_today=Text(
            en="Before you offer a discount, ask yourself what would make the offer more valuable "
            "to this customer, and offer that instead.",
            nl="Sta je op het punt korting te geven, vraag je dan eerst af wat het aanbod voor "
            "deze klant waardevoller maakt, en bied dat in plaats daarvan.",
        ),
        source=_BLUNDERS,
        kind="success",
    ),
)
