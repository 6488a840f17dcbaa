"""Writing a matplotlib figure to a PNG file: the Agg backend (no display needed), and an :class:`InputError` naming
the option the path came from when matplotlib is missing or the file cannot be written.

>>> plt = pyplot("--plot")                                   # doctest: +SKIP
>>> fig, ax = plt.subplots(); ax.plot([0, 1], [1, 0])        # doctest: +SKIP
>>> save_png(fig, "line.png", "--plot")                      # doctest: +SKIP
"""

from __future__ import annotations

from verify.errors import InputError


def pyplot(field: str = "--plot"):
    """``matplotlib.pyplot`` on the Agg backend; ``InputError(field)`` when matplotlib is not installed."""
    try:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        raise InputError(field, "needs matplotlib (pip install matplotlib)") from None
    return plt


def save_png(fig, path, field: str = "--plot", dpi: int = 110) -> None:
    """Write ``fig`` to ``path`` (a file name, PNG unless its suffix names another format matplotlib writes, or a
    binary file object: PNG) and close it, also on failure; ``InputError(field)`` when the file cannot be written
    or its suffix names no format matplotlib knows."""
    import matplotlib.pyplot as plt

    try:
        fig.savefig(path, dpi=dpi)
    except (OSError, ValueError) as e:
        raise InputError(field, f"cannot write {str(path)!r}: {getattr(e, 'strerror', None) or e}") from None
    finally:
        plt.close(fig)
