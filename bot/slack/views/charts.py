"""Charts as PNG bytes, drawn headless (matplotlib's Agg canvas, no pyplot state, no display).

matplotlib is imported on first use only, so a web worker that never draws a chart never pays
for it in memory or start-up time.
"""

from __future__ import annotations

import io

from bot.domain.export import WeeklySeries
from bot.i18n import translator

SUCCESS_COLOUR = "#2eb67d"
RECOVERY_COLOUR = "#ecb22e"
MAX_TICKS = 14


def render_weekly_chart(series: WeeklySeries, *, title: str) -> bytes:
    """Recognitions per week as stacked bars: success below, recovery on top."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    _ = translator(series.language)
    figure = Figure(figsize=(10, 4), dpi=100)
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()
    positions = list(range(len(series.weeks)))
    axes.bar(positions, series.success, color=SUCCESS_COLOUR, label=_("kind.success").capitalize())
    axes.bar(
        positions,
        series.recovery,
        bottom=series.success,
        color=RECOVERY_COLOUR,
        label=_("kind.recovery").capitalize(),
    )
    step = max(1, -(-len(positions) // MAX_TICKS))
    axes.set_xticks(positions[::step])
    axes.set_xticklabels(
        [w.strftime("%Y-%m-%d") for w in series.weeks[::step]], rotation=45, ha="right"
    )
    axes.set_xlabel(_("chart.week"))
    axes.set_ylabel(_("chart.count"))
    axes.set_title(_("chart.title", period=title))
    axes.yaxis.get_major_locator().set_params(integer=True)
    axes.spines[["top", "right"]].set_visible(False)
    axes.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    figure.tight_layout()
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
