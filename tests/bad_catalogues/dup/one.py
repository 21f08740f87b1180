from claimaudit import Observation, consistency


@consistency(id="dup-paper/same", reference="Table 1", statement="One.", fidelity="quoted")
def first(ctx):
    return Observation(0.0, 1.0)
