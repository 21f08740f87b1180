from hypothesis import strategies as st

from claimaudit import Observation, bound


@bound(id="mixed-paper/true-bound", reference="Lemma 1", statement="x ≤ 2x for x ≥ 0.",
       fidelity="quoted", strategy=st.floats(0.5, 10))
def true_bound(x):
    return Observation(x, 2 * x, instance={"x": x})


@bound(id="mixed-paper/false-bound", reference="Lemma 2", statement="x² ≤ x for x ≥ 0.",
       fidelity="quoted", strategy=st.floats(0.5, 10))
def false_bound(x):
    return Observation(x * x, x, instance={"x": x})
