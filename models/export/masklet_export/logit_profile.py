"""
What the reference's low-res logits look like over a video check. A check only shows the engine
faithful where the logits have structure: with whole-frame (or empty) masks, or logits that hover
within float noise of the mask threshold, agreement and disagreement mean little. Random weights
produce both easily, so the check prints this profile and says when the weights are degenerate.
"""
import numpy as np

NEAR_ZERO = 0.05


def logit_profile(ref_events, absent_score):
    """Median and max |logit|, the share of pixels within NEAR_ZERO of 0, and the range of the low-res
    foreground share over every (event, object) whose object is present."""
    magnitudes, near, shares = [], 0, []
    total = 0
    for _, _, objects in ref_events:
        for logits, _ in objects.values():
            if np.all(logits == absent_score):
                continue
            a = np.abs(logits.astype(np.float64))
            magnitudes.append(a.ravel())
            near += int((a < NEAR_ZERO).sum())
            total += a.size
            shares.append(float((logits > 0).mean()))
    if not shares:
        return None
    a = np.concatenate(magnitudes)
    return {
        "median": float(np.median(a)),
        "max": float(a.max()),
        "near_zero": near / total,
        "min_share": min(shares),
        "max_share": max(shares),
    }


def describe(profile):
    if profile is None:
        return "reference logits: every object absent on every frame (the weights are degenerate for this check)"
    line = (
        f"reference logits: median |logit| {profile['median']:.2f}, max {profile['max']:.1f}, "
        f"{100 * profile['near_zero']:.2f}% within {NEAR_ZERO} of 0, "
        f"foreground {100 * profile['min_share']:.1f}-{100 * profile['max_share']:.1f}% of the low-res mask"
    )
    if profile["min_share"] >= 0.999 or profile["max_share"] <= 0.001:
        line += " (every mask is whole-frame or empty: the weights are degenerate for this check)"
    return line
