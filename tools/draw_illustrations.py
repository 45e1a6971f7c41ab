"""Draw the starter library's pictures into practice/static/illustrations/ (run after a change).

    .venv/bin/python tools/draw_illustrations.py

Every exercise shows its start and its end position side by side (three positions for the
yoga sequence); every acupressure point a body map with the spot to press and a close-up. The
poses are joint angles written for this project; tools/drawing_kit.py holds the one style.
"""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from drawing_kit import (ACCENT, FAR, HEAD_R, PROP, W, Panel, arrow, at, cap,  # noqa: E402
                         document, place, side_figure, to_canvas)
from drawing_points import POINTS, figure_four, standing_front, top_view_rotation  # noqa: E402

OUT = Path(__file__).resolve().parent.parent / "practice" / "static" / "illustrations"
S = 1.45  # lying and kneeling figures are drawn a little larger than standing ones


def two() -> list[Panel]:
    return [Panel(0, 240), Panel(240, 240)]


def hooklying(*, arm=(2, 2, 2), far_arm=None, bend=0, hip_lift=0, thigh=-52, shin=79,
              arms_over=False):
    """On the back, knees bent, feet flat (head to the left)."""
    return side_figure((0, -hip_lift), torso=180 - hip_lift, bend=bend, head=181,
                       near_arm=arm, far_arm=far_arm, arms_over=arms_over,
                       near_leg=(thigh, shin, 0),
                       far_leg=(thigh - 6, shin - 2, -4))


def belly_breathing():
    panels = two()
    start, joints = hooklying(arm=(10, -66, 0))
    place(start, panels[0], scale=S)
    end, joints = hooklying(arm=(8, -70, -4), bend=-3)
    belly = at(joints["hip"], 180, 14)

    def breath(p):
        x, y = to_canvas((belly[0], belly[1] - 30), p)
        return (arrow([(x, y + 8), (x, y - 16)]) +
                f'<path d="M{x - 22:.1f} {y + 18:.1f}Q{x:.1f} {y + 4:.1f} {x + 22:.1f} {y + 18:.1f}" '
                f'stroke="{ACCENT}" stroke-width="2"/>')
    place(end, panels[1], scale=S, marks=[breath])
    return document("Belly breathing lying down",
                    "Lying on the back with knees bent and a hand on the lower belly; breathing "
                    "in, the belly rises under the hand.", panels)


def pelvic_tilt():
    panels = two()
    start, _ = hooklying(bend=-5)
    place(start, panels[0], scale=S)
    end, joints = hooklying()

    def tilt(p):
        hx, hy = to_canvas(joints["hip"], p)
        return arrow([(hx - 30, hy - 40), (hx - 30, hy - 22)])
    place(end, panels[1], scale=S, marks=[tilt])
    return document("Pelvic tilt lying down",
                    "Lying on the back with knees bent: first with a small hollow under the "
                    "lower back, then with the pelvis tilted so the lower back rests on the "
                    "floor.", panels)


def all_fours(*, bend=0, head=-5, torso=-4):
    """Hands and knees, facing right."""
    return side_figure((0, 0), torso=torso, bend=bend, head=head,
                       near_arm=(93, 90, 0), far_arm=(95, 90, 0),
                       near_leg=(90, 180, 182), far_leg=(92, 180, 182))


def cat_cow():
    panels = two()
    cat, joints = all_fours(bend=9, head=55)
    place(cat, panels[0], scale=S, marks=[lambda p: arrow(
        [to_canvas((joints["back"][0], joints["back"][1] - 2), p),
         to_canvas((joints["back"][0], joints["back"][1] - 22), p)])])
    cow, joints = all_fours(bend=-5, head=-30)
    place(cow, panels[1], scale=S, marks=[lambda p: arrow(
        [to_canvas((joints["back"][0], joints["back"][1] - 20), p),
         to_canvas((joints["back"][0], joints["back"][1] - 2), p)])])
    return document("Cat-cow on hands and knees",
                    "On hands and knees: the back rounded upwards with the head down, then the "
                    "belly lowered gently with the chest and gaze lifted.", panels)


def bridge():
    panels = two()
    start, _ = hooklying()
    place(start, panels[0], scale=S)
    end, joints = side_figure((0, 0), torso=157, head=190, near_arm=(14, -2, 0),
                              far_arm=(16, -2, 0), near_leg=(-23, 87, 0), far_leg=(-20, 90, 0))

    def lift(p):
        hx, hy = to_canvas(joints["hip"], p)
        return arrow([(hx, hy + 40), (hx, hy + 20)])
    place(end, panels[1], scale=S, marks=[lift])
    return document("Glute bridge",
                    "Lying on the back with knees bent, then the pelvis lifted until thighs "
                    "and upper body form a straight line.", panels)


def plank():
    panels = two()
    start, _ = side_figure((0, 0), torso=14, head=4, near_arm=(90, 0, 0),
                           far_arm=(92, 0, 0), near_leg=(90, 180, 182), far_leg=(92, 180, 182))
    place(start, panels[0], scale=S)
    end, joints = side_figure((0, 0), torso=-18, head=-14, near_arm=(90, 0, 0),
                              far_arm=(92, 0, 0), near_leg=(162, 180, 180),
                              far_leg=(164, 180, 180))

    def straight(p):
        kx, ky = to_canvas(joints["knee"], p)
        hx, hy = to_canvas(joints["head"], p)
        return (f'<path d="M{kx:.1f} {ky - 16:.1f}L{hx:.1f} {hy - 18:.1f}" stroke="{ACCENT}" '
                f'stroke-width="2" stroke-dasharray="2 6"/>')
    place(end, panels[1], scale=S, marks=[straight])
    return document("Plank in a mild form",
                    "On forearms and knees with the knees under the hips, then the knees moved "
                    "back until the body forms a straight line from head to knees.", panels)


def side_plank():
    """Seen from the front, propped on the forearm under the shoulder, the upper hand resting
    on the hip; the knees are bent, so the lower legs point back, away from the viewer: they
    are shaded like the far limbs."""
    panels = two()

    def lower_legs_back(parts):
        for part in parts[-2:]:  # the near leg's shin and foot
            part.far = True
        return parts

    start, _ = side_figure((0, 0), torso=207, head=200, near_arm=(22, 30, 30),
                           far_arm=(90, 180, 180), near_leg=(2, -76, -40),
                           far_leg=(0, -70, -34), shin=0.55)
    place(lower_legs_back(start), panels[0], scale=S)
    end, joints = side_figure((0, 0), torso=197, head=195, near_arm=(12, 20, 20),
                              far_arm=(90, 180, 180), near_leg=(17, -62, -30),
                              far_leg=(15, -56, -24), shin=0.55)
    lower_legs_back(end)

    def lift(p):
        hx, hy = to_canvas(joints["hip"], p)
        return arrow([(hx, hy + 30), (hx, hy + 10)])
    place(end, panels[1], scale=S, marks=[lift])
    return document("Side plank on the forearm",
                    "Lying on one side, propped on the forearm with the knees bent, then the "
                    "hips lifted until the body forms a straight line from head to knees.",
                    panels)


KNEELING = {"near_leg": (27, 180, 180), "far_leg": (29, 182, 180)}


def child():
    """Child's pose: sitting on the heels, the upper body resting forwards, arms out."""
    return side_figure((0, 0), torso=10, bend=3, head=27, near_arm=(160, 178, 180),
                       far_arm=(158, 176, 180), **KNEELING)


def childs_pose(panels=None):
    panels = panels or two()
    start, _ = side_figure((0, 0), torso=-88, head=-90, near_arm=(80, 20, 25),
                           far_arm=(84, 22, 25), **KNEELING)
    place(start, panels[0], scale=S)
    end, joints = child()
    place(end, panels[1], scale=S)
    return document("Child's pose",
                    "Kneeling upright on the heels, then the upper body resting forwards on "
                    "the thighs, forehead on the floor and arms relaxed beside the body.", panels)


def seated_breathing():
    panels = two()

    def sitter():
        # Sitting upright on the front of the seat: the near hand lies flat on the belly
        # (fingers down), the far hand on the back of the waist (its elbow out behind).
        return side_figure((0, 0), torso=-90, head=-90, near_arm=(100, 10, 90),
                           far_arm=(135, 45, 0), near_leg=(0, 90, 0), far_leg=(2, 92, 0))
    parts, joints = sitter()

    def chair(p):
        x, y = to_canvas(joints["hip"], p)
        seat = y + 10
        return (f'<path d="M{x - 36:.1f} {seat:.1f}H{x + 30:.1f}M{x - 32:.1f} {seat:.1f}V{seat + 50:.1f}'
                f'M{x + 26:.1f} {seat:.1f}V{seat + 50:.1f}M{x - 36:.1f} {seat:.1f}V{seat - 70:.1f}" '
                f'stroke="{PROP}" stroke-width="2"/>')
    place(parts, panels[0], props=[chair])

    def widen(p):
        x, y = to_canvas(at(joints["hip"], -90, 18), p)
        return (f'<path d="M{x + 24:.1f} {y - 14:.1f}Q{x + 33:.1f} {y:.1f} {x + 24:.1f} {y + 14:.1f}'
                f'M{x - 24:.1f} {y - 14:.1f}Q{x - 33:.1f} {y:.1f} {x - 24:.1f} {y + 14:.1f}" '
                f'stroke="{ACCENT}" stroke-width="2"/>' +
                arrow([(x + 36, y), (x + 46, y)]) + arrow([(x - 36, y), (x - 46, y)]))
    parts, joints = sitter()
    place(parts, panels[1], props=[chair], marks=[widen])
    return document("Breathing into the belly and lower back",
                    "Sitting upright with one hand on the belly and one on the back of the "
                    "waist; breathing in, belly and lower back widen under the hands.", panels)


def kidney_rubbing():
    panels = two()
    legs = {"near_leg": (90, 90, 0), "far_leg": (88, 92, 0)}
    start, joints = side_figure((0, 0), torso=-90, head=-92, near_arm=(70, -62, -40),
                                far_arm=(66, -58, -44), **legs)

    def rub(p):
        x, y = to_canvas(joints["hand"], p)
        return arrow([(x - 12, y - 16), (x + 12, y - 16)], both=True, head=5)
    place(start, panels[0], floor=186, marks=[rub])
    # Then seen from behind: the elbows bent out to the sides, both hands flat on the lower
    # back, one either side of the spine (a quiet line), rubbing up and down.
    arms = [cap((side * 20, -134), (side * 31, -112), (side * 14, -104), width=9)
            for side in (1, -1)] + [cap((side * 14, -104), (side * 10, -92), width=W["hand"])
                                    for side in (1, -1)]
    for arm in arms:
        arm.layer = 2
    back, _ = standing_front(arms)

    def spine(p):
        (x0, y0), (x1, y1) = to_canvas((0, -132), p), to_canvas((0, -94), p)
        return (f'<path d="M{x0:.1f} {y0:.1f}V{y1:.1f}" stroke="{PROP}" stroke-width="2"/>'
                + "".join(arrow([to_canvas((side * 40, -112), p), to_canvas((side * 40, -88), p)],
                                both=True, head=5) for side in (1, -1)))
    place(back, panels[1], floor=186, marks=[spine])
    return document("Kidney rubbing",
                    "Standing: rubbing the palms together until warm, then (seen from behind) "
                    "rubbing the lower "
                    "back up and down with both hands on either side of the spine.", panels)


def constructive_rest():
    """On the back, knees bent, feet flat, a thin pad under the head: arms resting beside the
    body, then the hands resting on the belly while the breath flows calmly."""
    panels = two()

    def resting(arm, far_arm):
        # The head rests a little higher than the shoulders: on the pad.
        return side_figure((0, 0), torso=180, head=188, near_arm=arm, far_arm=far_arm,
                           near_leg=(-52, 79, 0), far_leg=(-58, 77, -4))

    def pad(joints):
        def draw(p):
            x, y = to_canvas(joints["head"], p)
            top = y + (HEAD_R + 2) * p[2]  # just under the head's outline
            return (f'<rect x="{x - 20:.1f}" y="{top:.1f}" width="40" height="{173 - top:.1f}" '
                    f'rx="3" fill="{FAR}" stroke="{PROP}" stroke-width="2"/>')
        return draw

    start, joints = resting((2, 2, 2), (4, 2, 2))
    place(start, panels[0], scale=S, props=[pad(joints)])
    end, joints = resting((10, -66, 0), (12, -62, 0))

    def calm(p):
        x, y = to_canvas(at(joints["hip"], 180, 18), p)
        return (f'<path d="M{x - 16:.1f} {y - 30:.1f}Q{x:.1f} {y - 40:.1f} {x + 16:.1f} {y - 30:.1f}" '
                f'stroke="{ACCENT}" stroke-width="2"/>')
    place(end, panels[1], scale=S, props=[pad(joints)], marks=[calm])
    return document("Constructive rest position",
                    "Lying on the back on a firm surface with a thin pad under the head, knees "
                    "bent and feet flat about hip-width apart: arms resting beside the body, "
                    "or the hands resting on the belly, breathing calmly.", panels)


def yoga_sequence():
    panels = [Panel(0, 160), Panel(160, 160), Panel(320, 160)]
    cat, _ = all_fours(bend=9, head=55)
    cow, _ = all_fours(bend=-5, head=-30)
    place(cow, panels[0], scale=0.85)
    place(cat, panels[1], scale=0.85)
    rest, _ = child()
    place(rest, panels[2], scale=0.85)
    return document("Gentle yoga: cat-cow and child's pose",
                    "On hands and knees with the belly lowered gently, then the back rounded "
                    "upwards, then resting in child's pose with the forehead on the floor.",
                    panels)


DRAWINGS = {
    "breathing-belly-lying.svg": belly_breathing,
    "pelvic-tilt.svg": pelvic_tilt,
    "cat-cow.svg": cat_cow,
    "rotation-stretch-lying.svg": top_view_rotation,
    "hip-glute-stretch.svg": figure_four,
    "glute-bridge.svg": bridge,
    "side-plank.svg": side_plank,
    "plank-mild.svg": plank,
    "childs-pose.svg": childs_pose,
    "breathing-lower-back-seated.svg": seated_breathing,
    "kidney-rubbing.svg": kidney_rubbing,
    "constructive-rest.svg": constructive_rest,
    "yoga-cat-cow-childs-pose.svg": yoga_sequence,
    **POINTS,
}


def main() -> None:
    """Write every drawing."""
    OUT.mkdir(parents=True, exist_ok=True)
    for name, draw in DRAWINGS.items():
        (OUT / name).write_text(draw(), encoding="utf-8")
        print(f"{name}: {(OUT / name).stat().st_size} bytes")


if __name__ == "__main__":
    main()
