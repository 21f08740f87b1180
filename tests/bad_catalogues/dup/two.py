from claimaudit import Observation, consistency


@consistency(id="dup-paper/same", reference="Table 2", statement="Two.", fidelity="quoted")
def second(ctx):
    return Observation(0.0, 1.0)


@consistency(id="dup-paper/fine", reference="Table 3", statement="Fine.", fidelity="quoted")
def fine(ctx):
    return Observation(0.0, 1.0)
