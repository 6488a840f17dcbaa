"""Numeric tests run single-threaded: deterministic, and immune to the 10–70× slow-down that torch's
intra-op threads suffer when another process holds a core."""

import pytest
import torch


@pytest.fixture(autouse=True, scope="session")
def _one_thread():
    old = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(old)
