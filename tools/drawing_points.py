"""Body maps of the acupressure points, and the two exercises that need a view other than the
plain side view (the rotation stretch from above, the figure-four stretch's crossed leg).

Where each point lies follows the library's own text (practice/library/data/*.toml):
BL 40 in the middle of the crease at the back of the knee, between the tendons; CV 4 on the
midline, four finger widths below the navel; KI 3 in the hollow between the inner ankle bone
and the Achilles tendon, level with the ankle bone's tip.
"""

from __future__ import annotations

from drawing_kit import (INK, PROP, THIGH, W, Panel, arrow, at, blob, cap, circle, document,
                         place, render_parts, side_figure, spot, to_canvas)

ZOOM = (360, 100, 84)  # the close-up: centre and radius, in the right-hand panel


def standing_front(arms=None) -> tuple[list, dict]:
    """A figure standing, seen from the front (or the back: the pictogram is the same), the
    arms hanging or as given (capsules)."""
    parts = arms or [
        cap((20, -134), (25, -104), (27, -78), (27.5, -67), width=9),
        cap((-20, -134), (-25, -104), (-27, -78), (-27.5, -67), width=9),
    ]
    for arm in parts:
        arm.layer = 2
    body = [
        circle((0, -160), 11),
        cap((0, -148), (0, -138), width=10),
        blob((-16, -136), (16, -136), (12, -106), (14, -90), (-14, -90), (-12, -106), radius=5),
        cap((-8, -88), (-10, -46), (-12, -5), width=15),
        cap((8, -88), (10, -46), (12, -5), width=15),
        cap((-12, -4), (-17, -2), width=8),
        cap((12, -4), (17, -2), width=8),
    ]
    joints = {"knees": ((-10, -46), (10, -46)), "navel": (0, -104), "cv4": (0, -93),
              "inner_ankles": ((-6.5, -10), (6.5, -10))}
    return body + parts, joints


def zoom_frame(source) -> str:
    """The close-up's frame and the quiet lines that lead to it from the body map."""
    cx, cy, r = ZOOM
    sx, sy = source
    return (f'<path d="M{sx + 7:.1f} {sy - 5:.1f}L{cx - r * 0.75:.1f} {cy - r * 0.66:.1f}'
            f'M{sx + 7:.1f} {sy + 5:.1f}L{cx - r * 0.75:.1f} {cy + r * 0.66:.1f}" '
            f'stroke="{PROP}" stroke-width="1.5"/>'
            f'<circle cx="{sx:.1f}" cy="{sy:.1f}" r="9" stroke="{PROP}" stroke-width="1.5"/>')


def zoomed(content: str) -> str:
    """``content`` clipped to the close-up circle, with its rim."""
    cx, cy, r = ZOOM
    return (f'<defs><clipPath id="zoom"><circle cx="{cx}" cy="{cy}" r="{r}"/></clipPath></defs>'
            f'<circle cx="{cx}" cy="{cy}" r="{r}" fill="#ffffff"/>'
            f'<g clip-path="url(#zoom)">{content}</g>'
            f'<circle cx="{cx}" cy="{cy}" r="{r}" stroke="{PROP}" stroke-width="2"/>')


def body_map(title: str, description: str, target, close_up: str, *, both=()) -> str:
    """The whole figure with the point marked (``both``: the same point on the other side)
    and, joined to it, a close-up."""
    left = Panel(0, 200)
    parts, _ = standing_front()
    placement = place(parts, left, floor=186, dx=10)
    marks = "".join(spot(to_canvas(p, placement), ring=4.5) for p in (target, *both))
    frame = zoom_frame(to_canvas(target, placement))
    left.svg.append(marks)
    return document(title, description, [left], extra=frame + zoomed(close_up), crop=False)


def bl40() -> str:
    cx, cy, _r = ZOOM
    leg = [cap((cx - 4, cy - 120), (cx, cy - 2), width=62),
           cap((cx, cy + 2), (cx + 6, cy + 120), width=52)]
    crease = (f'<path d="M{cx - 20} {cy + 2}Q{cx} {cy + 8} {cx + 20} {cy + 2}" stroke="{INK}" '
              f'stroke-width="2"/>')
    tendons = (f'<path d="M{cx - 22} {cy - 50}Q{cx - 22} {cy - 20} {cx - 17} {cy + 2}'
               f'M{cx + 22} {cy - 50}Q{cx + 21} {cy - 20} {cx + 17} {cy + 2}" '
               f'stroke="{PROP}" stroke-width="2"/>')
    _parts, joints = standing_front()
    return body_map("Where to find BL 40 (Wěi Zhōng)",
                    "Body map seen from behind: the point lies in the middle of the crease at "
                    "the back of the knee, between the tendons on the inner and outer side.",
                    joints["knees"][1], render_parts(leg) + tendons + crease +
                    spot((cx, cy + 4)), both=[joints["knees"][0]])


def cv4() -> str:
    cx, cy, _r = ZOOM
    belly = [blob((cx - 58, cy - 110), (cx + 58, cy - 110), (cx + 62, cy + 10),
                  (cx + 74, cy + 110), (cx - 74, cy + 110), (cx - 62, cy + 10), radius=10)]
    navel = f'<circle cx="{cx}" cy="{cy - 42}" r="4" stroke="{INK}" stroke-width="2"/>'
    palm = render_parts([blob((cx + 34, cy - 30), (cx + 80, cy - 36), (cx + 96, cy + 26),
                              (cx + 34, cy + 18), radius=8)])
    fingers = "".join(render_parts([cap((cx - 34 + 3 * n, cy - 25 + 13 * n),
                                        (cx + 40, cy - 25 + 13 * n), width=9)])
                      for n in range(4))
    _parts, joints = standing_front()
    return body_map("Where to find CV 4 (Guān Yuán)",
                    "Body map from the front: the point lies on the midline of the lower belly, "
                    "four finger widths below the navel, just below the little finger of a "
                    "hand laid flat under the navel.", joints["cv4"],
                    render_parts(belly) + navel + palm + fingers + spot((cx, cy + 31)))


def ki3() -> str:
    cx, cy, _r = ZOOM
    # The inner side of the right foot: heel to the left, toes to the right.
    foot = [cap((cx - 22, cy - 120), (cx - 18, cy + 12), width=44),
            blob((cx - 44, cy + 24), (cx - 2, cy + 14), (cx + 50, cy + 38), (cx + 54, cy + 54),
                 (cx - 42, cy + 54), radius=10)]
    bone = f'<circle cx="{cx - 12}" cy="{cy + 6}" r="9" stroke="{INK}" stroke-width="2"/>'
    tendon = (f'<path d="M{cx - 36} {cy - 60}Q{cx - 37} {cy} {cx - 44} {cy + 30}" '
              f'stroke="{PROP}" stroke-width="2"/>')
    _parts, joints = standing_front()
    return body_map("Where to find KI 3 (Tài Xī)",
                    "Body map from the front and the inner side of the foot: the point lies in "
                    "the hollow between the inner ankle bone and the Achilles tendon, level with "
                    "the tip of the ankle bone.", joints["inner_ankles"][1],
                    render_parts(foot) + bone + tendon + spot((cx - 28.5, cy + 6), ring=6),
                    both=[joints["inner_ankles"][0]])


def top_view(knees_dropped: bool) -> list:
    """Lying on the back on a mat, seen from above (head at the top, as the standing body map
    seen from the front): arms out to the sides at shoulder height, knees bent and together,
    feet flat; or both knees lowered to the person's right (the viewer's left), the left leg
    on top, the shoulders still flat on the floor."""
    arms = [cap((18, -134), (46, -135), (70, -136), (80, -136.5), width=9),
            cap((-18, -134), (-46, -135), (-70, -136), (-80, -136.5), width=9)]
    body = [circle((0, -160), 11), cap((0, -148), (0, -138), width=10),
            blob((-16, -136), (16, -136), (12, -106), (14, -90), (-14, -90), (-12, -106),
                 radius=5)]
    if knees_dropped:
        under = [cap((-8, -88), (-42, -68), width=W["thigh"], far=True),
                 cap((-42, -68), (-17, -44), width=W["shin"], far=True),
                 cap((-17, -44), (-9, -35), width=W["foot"], far=True)]
        over = [cap((8, -88), (-25, -66), width=W["thigh"]),
                cap((-25, -66), (-2, -42), width=W["shin"]),
                cap((-2, -42), (6, -33), width=W["foot"])]
        for part in over:
            part.layer = 2
        legs = under + over
    else:
        # The knees point up at the viewer: the thighs look short, the feet stand beyond them.
        # The knees point up at the viewer: the thighs look short, and beyond the knees the
        # shins run down and away (shaded) to the feet standing flat.
        legs = [cap((x, -61), (x * 1.1, -44), (x * 1.1, -33), width=W["shin"], far=True)
                for x in (-7.5, 7.5)]
        legs += [cap((x, -88), (x, -61), width=W["thigh"]) for x in (-7.5, 7.5)]
    return legs + body + arms


def mat(placement) -> str:
    """The exercise mat under a figure seen from above."""
    (x0, y0), (x1, y1) = to_canvas((-34, -182), placement), to_canvas((34, -24), placement)
    return (f'<rect x="{x0:.1f}" y="{y0:.1f}" width="{x1 - x0:.1f}" height="{y1 - y0:.1f}" '
            f'rx="6" stroke="{PROP}" stroke-width="2"/>')


def top_view_rotation() -> str:
    panels = [Panel(0, 240), Panel(240, 240)]
    start = place(top_view(False), panels[0], floor=None, props=[mat], scale=1.25)
    # The same scale and height in both: only the legs move.
    placement = place(top_view(True), panels[1], floor=None, props=[mat],
                      like=(start[0] - panels[0].x, start[1], start[2]))
    panels[1].svg.append(arrow([to_canvas(p, placement) for p in ((22, -64), (16, -30), (-16, -22))],
                               curved=True))
    return document("Rotation stretch lying down",
                    "Seen from above: lying on the back on a mat with arms out to the sides and "
                    "knees bent together, then both knees lowered to one side while both "
                    "shoulders stay on the floor.", panels)


def figure_four() -> str:
    panels = [Panel(0, 240), Panel(240, 240)]
    # Start: the left foot on the floor, the right ankle across the left thigh.
    parts, j = side_figure((0, 0), torso=180, head=181, near_arm=(2, 2, 2),
                           near_leg=(-52, 79, 0))
    parts.insert(0, cap((0, 0), at((0, 0), -108, THIGH), width=W["thigh"], far=True))
    crossed = [cap((-12, -42), (22, -40), width=12), cap((22, -40), (33, -46), width=8)]
    for part in crossed:
        part.layer = 2
    place(parts + crossed, panels[0], scale=1.45)
    # End: the left thigh drawn towards the chest, hands behind it.
    parts, j = side_figure((0, 0), torso=180, head=181, near_arm=(-40, -30, -30),
                           near_leg=(-100, -8, -20))
    parts.insert(0, cap((0, 0), (32, -27), width=W["thigh"], far=True))
    crossed = [cap((32, -27), (-4, -38), width=12), cap((-4, -38), (-13, -44), width=8)]
    for part in crossed:
        part.layer = 2
    placement = place(parts + crossed, panels[1], scale=1.45)
    hx, hy = to_canvas(at(j["hip"], -70, 60), placement)
    panels[1].svg.append(arrow([(hx + 24, hy - 6), (hx + 4, hy - 18), (hx - 14, hy - 8)],
                               curved=True))
    return document("Hip and glute stretch lying down",
                    "Lying on the back, one ankle crossed over the other thigh just above the "
                    "knee, then that thigh drawn gently towards the chest with both hands.",
                    panels)


POINTS = {
    "point-bl-40.svg": bl40,
    "point-cv-4.svg": cv4,
    "point-ki-3.svg": ki3,
}
