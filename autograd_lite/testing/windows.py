"""Random calls and fixed layouts of the windows op (the im2col view of convolutions)."""

from __future__ import annotations

from typing import Any

import numpy as np
from hypothesis import strategies as st

from . import layouts as fixed
from .calls import Call, OpSpec
from .draws import arrays, reals

PAIRS = st.tuples(st.integers(1, 2), st.integers(1, 2))


@st.composite
def windows_calls(draw: Any) -> Call:
    kernel, stride, dilation = draw(PAIRS), draw(PAIRS), draw(PAIRS)
    lead = draw(st.lists(st.integers(1, 2), max_size=2))
    sides = [
        d * (k - 1) + 1 + draw(st.integers(0, 3)) for k, d in zip(kernel, dilation, strict=True)
    ]
    x = draw(arrays((*lead, *sides), reals()))
    return Call((x,), {"kernel": kernel, "stride": stride, "dilation": dilation}, (0,))


def windows_layouts() -> list[Call]:
    cases = [
        ((2, 3, 5, 4), (3, 2), (1, 1), (1, 1)),  # batch and channels in front
        ((5, 6), (2, 2), (2, 3), (1, 1)),
        ((1, 7, 7), (3, 3), (2, 2), (2, 1)),  # a stride and a dilation together
        ((0, 2, 3, 3), (2, 2), (1, 1), (1, 1)),  # an empty batch
        ((2, 1, 3), (1, 3), (1, 1), (1, 1)),  # one window along each axis
    ]
    return [
        Call((fixed.reals(s),), {"kernel": k, "stride": st_, "dilation": d}, (0,))
        for s, k, st_, d in cases
    ]


def ref_windows(x: np.ndarray, kernel: Any, stride: Any, dilation: Any) -> np.ndarray:
    """Window by window, with the index arithmetic written out."""
    (kh, kw), (sh, sw), (dh, dw) = kernel, stride, dilation
    oh = (x.shape[-2] - dh * (kh - 1) - 1) // sh + 1
    ow = (x.shape[-1] - dw * (kw - 1) - 1) // sw + 1
    out = np.empty((*x.shape[:-2], oh, ow, kh, kw))
    for h in range(oh):
        for w in range(ow):
            for i in range(kh):
                for j in range(kw):
                    out[..., h, w, i, j] = x[..., h * sh + i * dh, w * sw + j * dw]
    return out


WINDOWS_SPECS = [OpSpec("windows", ref_windows, windows_calls(), windows_layouts())]
