from claimaudit import Observation, consistency


@consistency(id="broken-paper/no-reference", reference="", statement="No reference.", fidelity="quoted")
def no_reference(ctx):
    return Observation(0.0, 1.0)
