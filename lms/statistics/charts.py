"""The charts of /stats, drawn on the server as SVG with matplotlib.

Text is drawn as paths in DejaVu Sans (bundled with matplotlib; it has the 33 Georgian
letters, Mkhedruli), so a chart reads the same on every device, whatever fonts it has.
Rendered charts are kept per (kind, title, labels, values): the same figures in the same
language are drawn once per process.
"""

import io
import threading

import matplotlib
from babel.numbers import format_decimal

matplotlib.use('Agg')

from cachetools import LRUCache
from matplotlib.backends.backend_svg import FigureCanvasSVG
from matplotlib.figure import Figure

FONT = 'DejaVu Sans'
ACCENT = '#0b5c7a'
_cache = LRUCache(maxsize=256)
_lock = threading.Lock()


def bar_chart(labels, values, *, horizontal=False, lang='ka'):
    """An SVG bar chart (text) of `values` under `labels`, each bar with its number as
    `lang` writes numbers."""
    key = (tuple(str(label) for label in labels), tuple(values), horizontal, lang)
    with _lock:
        svg = _cache.get(key)
    if svg is None:
        svg = _draw(*key)
        with _lock:
            _cache[key] = svg
    return svg


def _draw(labels, values, horizontal, lang):
    rc = {
        'font.family': 'sans-serif',
        'font.sans-serif': [FONT],
        'svg.fonttype': 'path',
        'svg.hashsalt': 'academy',
        'font.size': 10,
    }
    with matplotlib.rc_context(rc):
        height = max(2.4, 0.42 * len(labels) + 0.8) if horizontal else 3.2
        figure = Figure(figsize=(6.4, height), layout='constrained')
        FigureCanvasSVG(figure)
        axes = figure.add_subplot()
        positions = list(range(len(labels)))
        if horizontal:
            bars = axes.barh(positions, values, color=ACCENT)
            axes.set_yticks(positions, labels)
            axes.invert_yaxis()
            axes.xaxis.set_visible(False)
        else:
            bars = axes.bar(positions, values, color=ACCENT)
            axes.set_xticks(positions, labels)
            axes.yaxis.set_visible(False)
            if len(labels) > 8:
                axes.tick_params(axis='x', labelrotation=45)
        axes.bar_label(bars, labels=[format_decimal(v, locale=lang) for v in values], padding=3)
        axes.margins(x=0.12 if horizontal else 0.02, y=0.02 if horizontal else 0.15)
        for side in ('top', 'right', 'left' if not horizontal else 'bottom'):
            axes.spines[side].set_visible(False)
        if not horizontal:
            axes.spines['left'].set_visible(False)
        out = io.StringIO()
        figure.savefig(out, format='svg', metadata={'Date': None})
    return out.getvalue()
