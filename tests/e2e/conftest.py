# SPDX-License-Identifier: GPL-2.0-or-later
import pytest

from ntt_harness import (REFERENCE_NAMES, REFERENCE_PCAPS, Tshark,
                         shipped_captures)


@pytest.fixture(scope="session")
def tshark():
    runner = Tshark()
    yield runner
    runner.close()


def capture_params(include_reference=True):
    """Every shipped capture, then the reference tier (skipped, with the
    reason, where ../shared/reference is absent)."""
    params = [pytest.param(p, id=p.name) for p in shipped_captures()]
    if include_reference:
        absent = not REFERENCE_PCAPS.is_dir()
        for name in REFERENCE_NAMES:
            params.append(pytest.param(
                REFERENCE_PCAPS / name, id=f"reference/{name}",
                marks=pytest.mark.skipif(
                    absent, reason=f"{REFERENCE_PCAPS} absent: reference tier skipped")))
    return params
