"""The search methods of :func:`numeric.search.search`, in a module that imports nothing (no torch), so that
``spurious search --method`` lists its real choices without loading the numeric layer.

* ``adam``: Adam, then saddle-free Newton polish (finds minima);
* ``gd``: heavy-ball gradient descent, then the polish;
* ``newton``: Levenberg–Marquardt on ∇L(θ) = 0 (critical points of every index);
* ``both``: ``adam`` and ``newton`` from the same starts.
"""

METHODS = ("adam", "gd", "newton", "both")

__all__ = ["METHODS"]
