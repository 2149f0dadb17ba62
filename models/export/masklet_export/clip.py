"""A short synthetic JPEG clip and its prompt scenario, shared by the reference and the engine."""
import os

import numpy as np
from PIL import Image

WIDTH, HEIGHT, FRAMES = 176, 144, 6


def disc(cx, cy, r):
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    return (x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 <= r * r


def objects_at(t):
    red = (30 + 12 * t, 50 + 3 * t, 18)
    blue = (120 - 4 * t, 30 + 8 * t, 16)
    green = (110, 105 - 2 * t, 22)
    return red, blue, green


def write_clip(folder, seed=7):
    """FRAMES frames: a textured background with three moving discs (red, blue, green)."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.default_rng(seed)
    y, x = np.mgrid[0:HEIGHT, 0:WIDTH]
    texture = rng.normal(0, 12, (HEIGHT, WIDTH, 3))
    for t in range(FRAMES):
        img = np.stack([60 + 0.4 * x + 0.1 * t * 10, 80 + 0.3 * y, 110 + 0.2 * (x + y)], axis=-1) + texture
        img += rng.normal(0, 4, img.shape)
        for (cx, cy, r), colour in zip(objects_at(t), [(220, 40, 40), (40, 60, 220), (50, 200, 70)]):
            img[disc(cx, cy, r)] = colour
        Image.fromarray(np.clip(img, 0, 255).astype(np.uint8)).save(os.path.join(folder, f"{t:05d}.jpg"), quality=95)


def scenario(folder):
    """Clicks (a positive, then a negative added), a box, a mask on a later frame, forward
    propagation, a correction on a tracked frame, then backward propagation from the last frame."""
    red0, blue0, _ = objects_at(0)
    red4 = objects_at(4)[0]
    green2 = objects_at(2)[2]
    mask_file = os.path.join(folder, "mask_obj3_f2.u8")
    disc(green2[0], green2[1], green2[2]).astype(np.uint8).tofile(mask_file)
    r = blue0[2]
    return [
        {"op": "points", "frame": 0, "obj": 1, "points": [[red0[0], red0[1], 1]], "clearOld": True},
        {"op": "points", "frame": 0, "obj": 1, "points": [[red0[0] + 40, red0[1] + 30, 0]], "clearOld": False},
        {"op": "box", "frame": 0, "obj": 2, "box": [blue0[0] - r - 2, blue0[1] - r - 2, blue0[0] + r + 2, blue0[1] + r + 2]},
        {"op": "mask", "frame": 2, "obj": 3, "file": mask_file},
        {"op": "propagate", "start": 0, "reverse": False},
        {"op": "points", "frame": 4, "obj": 1, "points": [[red4[0], red4[1], 1]], "clearOld": True},
        {"op": "propagate", "start": FRAMES - 1, "reverse": True},
    ]
