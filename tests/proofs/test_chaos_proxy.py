"""Proof: payment intents through a fault-injecting proxy to a real sandbox server.

See :mod:`tests.proofs.chaos` for what is driven and checked; this runs it
with the fixed seed and asserts the invariants: each intent paid at most once,
the ledger balances, and the client reported every final state truthfully.
"""

from __future__ import annotations

from tests.proofs import chaos, figures


def test_500_intents_through_injected_faults_pay_each_at_most_once(tmp_path):
    report = chaos.run(tmp_path, seed=chaos.SEED)
    figures.report(report.figures())
    assert len(report.intents) >= 500
    assert sum(n for kind, n in report.faults.items() if kind != "pass") >= 500
    assert all(i.state != "pending" for i in report.intents)
    assert report.double_charges == 0
    assert report.violations == []
