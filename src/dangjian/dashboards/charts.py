"""ECharts option builders: plain dicts, rendered with json_script (no front-end build, no JS functions).

Each builder takes already-prepared numbers; `Chart` carries the option together
with the same data as a table, so the page's table toggle, the xlsx download and
the JSON API all show exactly what the chart draws.
"""

from dataclasses import dataclass, field

PALETTE = ["#b71c1c", "#1565c0", "#2e7d32", "#ef6c00", "#6a1b9a", "#00838f", "#5d4037", "#9e9d24"]
DARK = {"text": "#e6edf7", "muted": "#8fa3bf", "line": "#26364d"}


@dataclass
class Chart:
    key: str
    title: str
    headers: list[str]
    rows: list[list]
    option: dict = field(default_factory=dict)
    tall: bool = False
    hint: str = ""  # what a term in the title means, shown as its tooltip (e.g. the Malmquist index)

    def as_json(self) -> dict:
        # Titles and headers may be lazy translations (metric names): the API answers plain text.
        return {"key": self.key, "title": str(self.title), "headers": [str(h) for h in self.headers],
                "rows": self.rows, "option": self.option}


def num(value: float | None, unit: str = "") -> float | None:
    """A stored value as shown: rates (stored 0..1) in percent, others to two decimals."""
    if value is None:
        return None
    return round(value * 100, 1) if unit == "%" else round(value, 2)


def _base(dark: bool) -> dict:
    # A legend scrolls rather than wrapping into the plot; the margins leave room for axis names, which
    # containLabel does not count (labels were clipped on narrow screens).
    opt = {"color": PALETTE, "tooltip": {"trigger": "axis", "confine": True}, "animation": False,
           "grid": {"left": 16, "right": 24, "top": 48, "bottom": 16, "containLabel": True}}
    if dark:
        opt["backgroundColor"] = "transparent"
        opt["textStyle"] = {"color": DARK["text"]}
        opt["legend"] = {"type": "scroll", "textStyle": {"color": DARK["text"]}}
    return opt


def _axis(dark: bool, **kw) -> dict:
    axis = dict(kw)
    if dark:
        axis.setdefault("axisLabel", {})["color"] = DARK["muted"]
        axis["splitLine"] = {"lineStyle": {"color": DARK["line"]}}
    return axis


def line(categories: list[str], series: dict[str, list], *, dark: bool = False, y_max: float | None = 100) -> dict:
    opt = _base(dark)
    opt.setdefault("legend", {"type": "scroll"})["top"] = 0
    opt["xAxis"] = _axis(dark, type="category", data=categories, boundaryGap=False)
    opt["yAxis"] = _axis(dark, type="value", min=0, **({"max": y_max} if y_max else {}))
    opt["series"] = [{"name": name, "type": "line", "data": data, "connectNulls": True, "symbolSize": 7}
                     for name, data in series.items()]
    return opt


def radar(dimensions: list[str], series: dict[str, list], *, dark: bool = False) -> dict:
    opt = _base(dark)
    opt["tooltip"] = {"trigger": "item"}
    opt.setdefault("legend", {"type": "scroll"})["bottom"] = 0
    opt["radar"] = {"indicator": [{"name": d, "max": 100} for d in dimensions], "radius": "62%"}
    opt["series"] = [{"type": "radar", "data": [{"name": name, "value": [v if v is not None else 0 for v in data]}
                                                for name, data in series.items()], "areaStyle": {"opacity": 0.12}}]
    return opt


def bar(categories: list[str], series: dict[str, list], *, horizontal: bool = False, dark: bool = False,
        y_max: float | None = None) -> dict:
    opt = _base(dark)
    if len(series) > 1:
        opt.setdefault("legend", {"type": "scroll"})["top"] = 0
    value_axis = _axis(dark, type="value", **({"max": y_max} if y_max else {}))
    cat_axis = _axis(dark, type="category", data=categories,
                     axisLabel={"interval": 0, "width": 110, "overflow": "truncate"} if horizontal else
                     {"interval": "auto", "rotate": 30 if len(categories) > 6 else 0, "width": 90, "overflow": "truncate"})
    if horizontal:
        cat_axis["inverse"] = True
        opt["xAxis"], opt["yAxis"] = value_axis, cat_axis
    else:
        opt["xAxis"], opt["yAxis"] = cat_axis, value_axis
    opt["series"] = [{"name": name, "type": "bar", "data": data, "barMaxWidth": 28} for name, data in series.items()]
    return opt


def histogram(scores: list[float], *, step: int = 10, name: str = "", dark: bool = False) -> tuple[dict, list[list]]:
    """Counts of scores per band [0,10), [10,20) … [90,100]; returns (option, [[band, count]])."""
    bands = [f"{lo}–{lo + step}" for lo in range(0, 100, step)]
    counts = [0] * len(bands)
    for s in scores:
        counts[min(int(s // step), len(bands) - 1)] += 1
    opt = bar(bands, {name: counts}, dark=dark)
    opt["series"][0]["barCategoryGap"] = "4%"
    return opt, [[b, c] for b, c in zip(bands, counts, strict=True)]


def five_numbers(values: list[float]) -> list[float]:
    """min, lower quartile, median, upper quartile, max (linear interpolation, as numpy's default)."""
    import numpy as np

    return [round(float(x), 2) for x in np.percentile(np.asarray(values, dtype=float), [0, 25, 50, 75, 100])]


def boxplot(names: list[str], stats: list[list[float]], *, dark: bool = False) -> dict:
    opt = _base(dark)
    opt["tooltip"] = {"trigger": "item"}
    opt["xAxis"] = _axis(dark, type="category", data=names)
    opt["yAxis"] = _axis(dark, type="value", min=0, max=100)
    opt["series"] = [{"type": "boxplot", "data": stats}]
    return opt


def scatter_frontier(points: list[dict], *, x_name: str, y_name: str, labels: tuple[str, str, str]) -> dict:
    """Efficiency scatter: points {name, x, y, score, efficient}; efficient units highlighted and joined as the frontier."""
    efficient_label, other_label, frontier_label = labels
    opt = _base(False)
    opt["tooltip"] = {"trigger": "item", "confine": True}
    opt.setdefault("legend", {"type": "scroll"})["top"] = 0
    opt["xAxis"] = {"type": "value", "name": x_name, "nameLocation": "middle", "nameGap": 28, "scale": True}
    opt["yAxis"] = {"type": "value", "name": y_name, "scale": True, "nameLocation": "middle", "nameGap": 36}
    opt["grid"] = {**opt["grid"], "top": 48, "left": 48, "bottom": 40}

    def item(p):
        return {"name": p["name"], "value": [p["x"], p["y"], p["score"]]}

    frontier = sorted((p for p in points if p["efficient"]), key=lambda p: (p["x"], p["y"]))
    opt["series"] = [
        {"name": efficient_label, "type": "scatter", "symbolSize": 14, "data": [item(p) for p in frontier],
         "itemStyle": {"color": PALETTE[0]}},
        {"name": other_label, "type": "scatter", "symbolSize": 8, "data": [item(p) for p in points if not p["efficient"]],
         "itemStyle": {"color": "#90a4ae"}},
        {"name": frontier_label, "type": "line", "step": "end", "symbol": "none", "lineStyle": {"type": "dashed"},
         "data": [[p["x"], p["y"]] for p in frontier], "itemStyle": {"color": PALETTE[0]}},
    ]
    return opt


def malmquist_bars(names: list[str], ec: list, tc: list, mi: list, labels: tuple[str, str, str]) -> dict:
    """Efficiency change and technical change as bars, the Malmquist index (their product) as points; 1 = no change."""
    opt = bar(names, {labels[0]: ec, labels[1]: tc})
    opt["series"].append({"name": labels[2], "type": "scatter", "data": mi, "symbolSize": 10, "itemStyle": {"color": "#212121"}})
    opt["series"][0]["markLine"] = {"silent": True, "symbol": "none", "data": [{"yAxis": 1}], "lineStyle": {"color": "#555"}}
    opt["yAxis"]["min"] = 0
    return opt


def colour_for(score: float | None) -> str:
    """Red (low) to amber to green (high) on the 0-100 index; grey without a score."""
    if score is None:
        return "#5b6472"
    stops = [(0, (120, 20, 20)), (60, (198, 40, 40)), (75, (239, 140, 0)), (90, (46, 125, 50)), (100, (27, 94, 32))]
    for (a, ca), (b, cb) in zip(stops, stops[1:], strict=False):
        if score <= b:
            t = (score - a) / (b - a) if b > a else 0
            r, g, bl = (round(x + (y - x) * t) for x, y in zip(ca, cb, strict=True))
            return f"#{r:02x}{g:02x}{bl:02x}"
    return "#2e7d32"


def treemap(root: dict, *, dark: bool = True) -> dict:
    """The org tree as a treemap, each node {name, value, score, children} coloured by its overall index."""

    def node(n):
        out = {"name": n["name"], "value": n["value"], "itemStyle": {"color": colour_for(n["score"])}}
        if n["children"]:
            out["children"] = [node(c) for c in n["children"]]
        return out

    opt = _base(dark)
    opt.pop("legend", None)
    opt["tooltip"] = {"trigger": "item"}
    opt["series"] = [{
        "type": "treemap", "top": 4, "bottom": 28, "left": 4, "right": 4, "data": [node(c) for c in root["children"]] or [node(root)], "name": root["name"],
        "roam": False, "nodeClick": "zoomToNode", "leafDepth": 2,
        "breadcrumb": {"show": True, "bottom": 0, "itemStyle": {"color": "#1b2a41", "textStyle": {"color": DARK["text"]}}},
        "label": {"show": True, "formatter": "{b}", "color": "#fff", "fontSize": 13},
        "upperLabel": {"show": True, "height": 22, "color": "#fff"},
        "levels": [{"itemStyle": {"borderColor": "#0b1526", "borderWidth": 2, "gapWidth": 2}},
                   {"itemStyle": {"borderColor": "#0b1526", "borderWidth": 1, "gapWidth": 1}}],
    }]
    return opt


def gauge(value: float | None, name: str, *, dark: bool = True) -> dict:
    opt = _base(dark)
    opt.pop("tooltip", None)
    opt["series"] = [{"type": "gauge", "min": 0, "max": 100, "progress": {"show": True, "width": 12},
                      "axisLine": {"lineStyle": {"width": 12}}, "axisLabel": {"show": False}, "splitLine": {"show": False},
                      "axisTick": {"show": False}, "pointer": {"show": False},
                      "title": {"offsetCenter": [0, "30%"], "color": DARK["muted"] if dark else "#5f6b7a"},
                      "detail": {"valueAnimation": False, "offsetCenter": [0, "-5%"], "fontSize": 30,
                                 "color": DARK["text"] if dark else "#1f2328", "formatter": "{value}"},
                      "data": [{"value": round(value, 1) if value is not None else 0, "name": name}]}]
    return opt
