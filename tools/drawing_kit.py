"""The one drawing style of the library's pictures, for tools/draw_illustrations.py.

A figure is a set of rounded parts (capsules for limbs, a circle for the head, rounded shapes for
a torso seen from the front). Each layer is drawn twice, first 4 units wider in ink, then in its
fill colour: what shows is the outline of the parts' union, 2 units thick, with round joints.
Limbs on the far side of the body are a shade darker than the near ones. One accent colour marks
what moves or where to press; props (floor, chair) are a quiet grey.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

INK = "#1f2a30"
NEAR = "#ffffff"
FAR = "#dde4e4"
PROP = "#aab4b8"
ACCENT = "#c9632b"
SOFT = "#f6e3d8"  # the accent, faint: a pressed area, a breath
OUTLINE = 2
CROP_MARGIN = 12  # canvas units kept above and below what is drawn

# Body proportions (a figure about 170 units tall) and part widths.
HEAD_R = 10
NECK = 19            # shoulder to the centre of the head
TORSO = 50           # hip joint to shoulder joint
UPPER_ARM, FOREARM, HAND = 30, 25, 14
THIGH, SHIN, FOOT = 42, 41, 13
W = {"torso": 24, "neck": 9, "upper_arm": 10, "forearm": 9, "hand": 8, "thigh": 15,
     "shin": 12, "foot": 8}


def at(point, angle: float, length: float):
    """The point ``length`` away from ``point`` at ``angle`` degrees (0 right, 90 down)."""
    rad = math.radians(angle)
    return (point[0] + length * math.cos(rad), point[1] + length * math.sin(rad))


def _n(value: float) -> str:
    text = f"{value:.1f}"
    return text[:-2] if text.endswith(".0") else text


def path_d(points, closed: bool = False) -> str:
    """``M x y L ...`` through ``points``."""
    head, *rest = points
    d = f"M{_n(head[0])} {_n(head[1])}" + "".join(f"L{_n(x)} {_n(y)}" for x, y in rest)
    return d + ("Z" if closed else "")


@dataclass
class Part:
    """A capsule through ``points`` (``width`` wide), a circle, a rounded shape, or a curve."""

    kind: str  # "cap", "circle", "blob", "curve"
    points: list
    width: float = 0
    far: bool = False
    layer: int = 1  # 0 far limbs, 1 the body, 2 a near arm (outlined over the body)

    def extent(self) -> tuple[float, float, float, float]:
        xs = [p[0] for p in self.points]
        ys = [p[1] for p in self.points]
        pad = self.width / 2 + OUTLINE
        return min(xs) - pad, min(ys) - pad, max(xs) + pad, max(ys) + pad

    def moved(self, dx: float, dy: float, scale: float = 1) -> Part:
        return Part(self.kind, [(x * scale + dx, y * scale + dy) for x, y in self.points],
                    self.width * scale, self.far, self.layer)

    def svg(self, extra: float, colour: str) -> str:
        width = self.width + extra
        if self.kind == "circle":
            (cx, cy), = self.points
            return f'<circle cx="{_n(cx)}" cy="{_n(cy)}" r="{_n(width / 2)}" fill="{colour}"/>'
        if self.kind == "blob":
            return (f'<path d="{path_d(self.points, True)}" fill="{colour}" stroke="{colour}" '
                    f'stroke-width="{_n(width)}"/>')
        if self.kind == "curve":  # start, control, end: a bent capsule
            (x0, y0), (cx, cy), (x1, y1) = self.points
            d = f"M{_n(x0)} {_n(y0)}Q{_n(cx)} {_n(cy)} {_n(x1)} {_n(y1)}"
            return f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="{_n(width)}"/>'
        return (f'<path d="{path_d(self.points)}" fill="none" stroke="{colour}" '
                f'stroke-width="{_n(width)}"/>')


def cap(*points, width: float, far: bool = False) -> Part:
    """A limb: a capsule through ``points``."""
    return Part("cap", list(points), width, far)


def blob(*points, radius: float = 4, far: bool = False) -> Part:
    """A rounded shape with corners rounded by ``radius``."""
    return Part("blob", list(points), radius * 2, far)


def circle(centre, r: float, far: bool = False) -> Part:
    """A round part of radius ``r`` (a head)."""
    return Part("circle", [centre], r * 2, far)


def curve(start, control, end, width: float, far: bool = False) -> Part:
    """A bent capsule (a rounded or arched back)."""
    return Part("curve", [start, control, end], width, far)


@dataclass
class Figure:
    """Parts of one figure, and anything drawn with it (props under, marks on top), in one
    coordinate system; placed into a panel by :meth:`Panel.place`."""

    parts: list = field(default_factory=list)
    props: list = field(default_factory=list)   # (svg, extent) drawn under the figure
    marks: list = field(default_factory=list)   # (svg, extent) drawn over the figure

    def extent(self, floor_only: bool = False):
        boxes = [p.extent() for p in self.parts] + [e for _s, e in self.props]
        return (min(b[0] for b in boxes), min(b[1] for b in boxes),
                max(b[2] for b in boxes), max(b[3] for b in boxes))


def side_figure(hip, *, torso: float, bend: float = 0, head: float | None = None,
                near_arm=(0, 0), far_arm=None, near_leg=(0, 0, 0), far_leg=None,
                hands: bool = True, shin: float = 1, arms_over: bool = False
                ) -> tuple[list[Part], dict]:
    """A figure seen from the side, from joint angles (degrees, 0 right, 90 down).

    ``torso`` is the direction from hip to shoulder, ``bend`` bows the back sideways (positive:
    to the left of that direction), ``head`` the direction from shoulder to head. Arms are
    (upper arm, forearm[, hand]), legs (thigh, shin, foot); ``shin`` shortens the lower legs
    (pointing away from the viewer), ``arms_over`` draws both arms over the body. Returns the
    parts and the joints.
    """
    shoulder = at(hip, torso, TORSO)
    mid = ((hip[0] + shoulder[0]) / 2, (hip[1] + shoulder[1]) / 2)
    control = at(mid, torso - 90, bend * 2)
    head = torso if head is None else head
    head_centre = at(shoulder, head, NECK)
    joints = {"hip": hip, "shoulder": shoulder, "head": head_centre, "back": control}
    parts = []

    def limb(angles, lengths, names, base, far):
        points = [base]
        for angle, length in zip(angles, lengths):
            points.append(at(points[-1], angle, length))
        for (a, b), name in zip(zip(points, points[1:]), names):
            parts.append(cap(a, b, width=W[name], far=far))
        return points

    for arm, far in ((far_arm, True), (near_arm, False)):
        if arm is None:
            continue
        lengths = (UPPER_ARM, FOREARM, HAND)[:len(arm)] if hands else (UPPER_ARM, FOREARM)
        points = limb(arm, lengths, ("upper_arm", "forearm", "hand"), shoulder,
                      far and not arms_over)
        if not far or arms_over:
            for part in parts[-len(arm):]:
                part.layer = 2
        joints["far_hand" if far else "hand"] = points[-1]
        joints["far_elbow" if far else "elbow"] = points[1]
    for leg, far in ((far_leg, True), (near_leg, False)):
        if leg is None:
            continue
        points = limb(leg, (THIGH, SHIN * shin, FOOT * shin), ("thigh", "shin", "foot"), hip, far)
        key = "far_" if far else ""
        joints[key + "knee"], joints[key + "ankle"], joints[key + "toe"] = points[1:4]
    body = [curve(hip, control, shoulder, W["torso"]) if bend else
            cap(hip, shoulder, width=W["torso"]),
            cap(shoulder, at(shoulder, head, NECK - HEAD_R + 2), width=W["neck"]),
            circle(head_centre, HEAD_R)]
    # Far limbs first, then the body, then the near limbs over it.
    far_parts = [p for p in parts if p.far]
    near_parts = [p for p in parts if not p.far]
    return far_parts + body + near_parts, joints


def arrow(points, *, head: float = 7, both: bool = False, curved: bool = False) -> str:
    """An accent arrow along ``points`` (a quadratic curve through the middle one when
    ``curved``), with an open arrowhead at the end (and the start when ``both``)."""
    if curved:
        (x0, y0), (cx, cy), (x1, y1) = points
        d = f"M{_n(x0)} {_n(y0)}Q{_n(cx)} {_n(cy)} {_n(x1)} {_n(y1)}"
        tails = [((cx, cy), (x1, y1))] + ([((cx, cy), (x0, y0))] if both else [])
    else:
        d = path_d(points)
        tails = [(points[-2], points[-1])] + ([(points[1], points[0])] if both else [])
    heads = []
    for (ax, ay), (bx, by) in tails:
        angle = math.degrees(math.atan2(by - ay, bx - ax))
        left, right = at((bx, by), angle + 150, head), at((bx, by), angle - 150, head)
        heads.append(path_d([left, (bx, by), right]))
    return (f'<path d="{d}{"".join(heads)}" stroke="{ACCENT}" stroke-width="2.5" '
            f'fill="none"/>')


def spot(centre, *, ring: float = 9) -> str:
    """Where to press: an accent dot in a faint ring."""
    x, y = centre
    return (f'<circle cx="{_n(x)}" cy="{_n(y)}" r="{_n(ring)}" fill="{SOFT}" stroke="{ACCENT}" '
            f'stroke-width="2"/><circle cx="{_n(x)}" cy="{_n(y)}" r="3.5" fill="{ACCENT}"/>')


def render_parts(parts: list[Part]) -> str:
    """The far limbs, the body, then the near arm, each layer as ink outline under its fill."""
    out = []
    for number in (0, 1, 2):
        layer = [p for p in parts if (0 if p.far else p.layer) == number]
        if not layer:
            continue
        fill = FAR if number == 0 else NEAR
        out.append(f'<g stroke="{INK}" fill="{INK}">' +
                   "".join(p.svg(2 * OUTLINE, INK) for p in layer) + "</g>")
        out.append(f'<g stroke="{fill}" fill="{fill}">' +
                   "".join(p.svg(0, fill) for p in layer) + "</g>")
    return "".join(out)


@dataclass
class Panel:
    """One position in a drawing: a box of the canvas and what is drawn in it."""

    x: float
    width: float
    svg: list = field(default_factory=list)


def place(parts: list[Part], panel: Panel, *, floor: float | None = 172, top: float = 14,
          bottom: float = 186, props=(), marks=(), scale: float = 1, dx: float = 0,
          like: tuple | None = None) -> tuple:
    """Put ``parts`` into ``panel``: centred across it, resting on the floor (or centred
    between ``top`` and ``bottom`` when ``floor`` is None), or placed ``like`` another
    panel's placement (the same scale and height, shifted to this panel). ``props`` and
    ``marks`` are functions of the placement ``(dx, dy, scale)`` returning SVG. Returns the
    placement."""
    boxes = [p.extent() for p in parts]
    x0, y0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    x1, y1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    scale = min(scale, (panel.width - 28) / (x1 - x0), (bottom - top) / (y1 - y0))
    off_x = panel.x + (panel.width - (x1 - x0) * scale) / 2 - x0 * scale + dx
    if floor is None:
        off_y = (top + bottom - (y1 - y0) * scale) / 2 - y0 * scale
    else:
        off_y = floor - y1 * scale
    placement = (off_x, off_y, scale)
    if like is not None:
        placement = (like[0] + panel.x, like[1], like[2])
    off_x, off_y, scale = placement
    moved = [p.moved(off_x, off_y, scale) for p in parts]
    if floor is not None:
        panel.svg.append(f'<path d="M{_n(panel.x + 12)} {_n(floor + 1)}H{_n(panel.x + panel.width - 12)}" '
                         f'stroke="{PROP}" stroke-width="2"/>')
    panel.svg.extend(prop(placement) for prop in props)
    panel.svg.append(render_parts(moved))
    panel.svg.extend(mark(placement) for mark in marks)
    return placement


def to_canvas(point, placement):
    """A figure point in canvas coordinates."""
    off_x, off_y, scale = placement
    return (point[0] * scale + off_x, point[1] * scale + off_y)


def between(panels: list[Panel], y: float = 100) -> str:
    """The quiet chevrons that lead from one position to the next (centred on ``y``)."""
    out = []
    for left in panels[:-1]:
        x = left.x + left.width
        out.append(f'<path d="M{_n(x - 4)} {_n(y - 8)}L{_n(x + 4)} {_n(y)}L{_n(x - 4)} {_n(y + 8)}" '
                   f'stroke="{PROP}" stroke-width="2" fill="none"/>')
    return "".join(out)


_TAG = re.compile(r"<(path|circle)\b([^>]*)>")
_ATTR = re.compile(r'([a-z-]+)="([^"]*)"')
_TOKEN = re.compile(r"[MLQHVZ]|-?[\d.]+")


def drawn_extent(svg: str) -> tuple[float, float]:
    """The top and bottom of what ``svg`` draws (its paths and circles, strokes included).

    The drawings use absolute M, L, Q, H, V and Z only; a curve's control point counts, which
    errs on the generous side."""
    top, bottom = math.inf, -math.inf
    for _tag, attributes in _TAG.findall(svg):
        found = dict(_ATTR.findall(attributes))
        half = float(found.get("stroke-width", 0)) / 2
        if "r" in found:
            cy, r = float(found["cy"]), float(found["r"])
            ys = [cy - r, cy + r]
        else:
            ys, command, numbers, y = [], "", [], 0.0
            for token in _TOKEN.findall(found.get("d", "")):
                if token.isalpha():
                    command, numbers = token, []
                    continue
                numbers.append(float(token))
                if command == "V":
                    y = numbers.pop()
                    ys.append(y)
                elif command == "H":
                    numbers.pop()
                    ys.append(y)
                elif len(numbers) == 2:
                    y = numbers[1]
                    ys.append(y)
                    numbers = []
        if ys:
            top, bottom = min(top, min(ys) - half), max(bottom, max(ys) + half)
    return top, bottom


def document(title: str, description: str, panels: list[Panel], *, width: float = 480,
             height: float = 200, extra: str = "", crop: bool = True) -> str:
    """The whole SVG file: title and description first, then the panels.

    With ``crop`` the view box keeps the canvas's coordinates (floor at 173, 480 wide) but
    only the band the figures use, with a margin: a lying figure leaves no empty band above
    it wherever the picture is shown at the page's width."""
    body = "".join("".join(p.svg) for p in panels) + extra
    top, bottom = 0.0, height
    if crop:
        drawn_top, drawn_bottom = drawn_extent(body)
        top = max(0.0, math.floor(drawn_top - CROP_MARGIN))
        bottom = min(height, math.ceil(drawn_bottom + CROP_MARGIN))
    body += between(panels, (top + bottom) / 2 if crop else height / 2)
    box = f"0 {_n(top)} {_n(width)} {_n(bottom - top)}"
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="{box}" '
            f'width="{_n(width)}" height="{_n(bottom - top)}" role="img" '
            f'aria-labelledby="title desc">'
            f'<title id="title">{escape(title)}</title><desc id="desc">{escape(description)}</desc>'
            f'<g fill="none" stroke-linecap="round" stroke-linejoin="round">{body}</g></svg>\n')
