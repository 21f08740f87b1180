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


@bound(id="mixed-paper/declared-finding", reference="Lemma 3", statement="x³ ≤ x for x ≥ 0.5.",
       fidelity="quoted", strategy=st.floats(0.5, 10),
       finding="false for every x > 1, e.g. x = 2 gives 8 > 2")
def declared_finding(x):
    return Observation(x**3, x, instance={"x": x})


@bound(id="mixed-paper/stale-finding", reference="Lemma 4", statement="x ≤ 3x for x ≥ 0.5.",
       fidelity="quoted", strategy=st.floats(0.5, 10),
       finding="declared violated, but it holds: the suite must not stay green about it")
def stale_finding(x):
    return Observation(x, 3 * x, instance={"x": x})
