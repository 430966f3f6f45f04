"""Two supervisors answering the same question at the same moment: exactly one wins."""

from __future__ import annotations

import threading
from typing import Any

import httpx

from tests.server.support import Actors, Backend, all_changes, ask

ROUNDS = 5


def _race(server: Backend, tokens: list[str], uuid: str) -> list[httpx.Response]:
    barrier = threading.Barrier(len(tokens))
    results: list[Any] = [None] * len(tokens)
    clients = [server.client(token) for token in tokens]
    for http in clients:  # open the connections first so the requests leave together
        assert http.get("/health").status_code == 200

    def answer(i: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[i] = clients[i].post(
                f"/questions/{uuid}/answer", json={"answer": f"答案来自 {i}"}
            )
        except Exception as exc:  # reported below
            results[i] = exc

    threads = [threading.Thread(target=answer, args=(i,)) for i in range(len(tokens))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    for http in clients:
        http.close()
    for result in results:
        assert isinstance(result, httpx.Response), result
    return results


def test_concurrent_answers_one_wins_the_other_gets_409(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    supervisors = [actors("supervisor"), actors("supervisor")]
    _, checkpoint = all_changes(agent)
    for _ in range(ROUNDS):
        uuid = ask(agent, "两位主管同时回答的问题")
        responses = _race(server, [s.token for s in supervisors], uuid)
        codes = sorted(r.status_code for r in responses)
        assert codes == [200, 409], [r.text for r in responses]
        winner = next(i for i, r in enumerate(responses) if r.status_code == 200)
        loser = responses[1 - winner]
        won = responses[winner].json()
        assert won["answer"] == f"答案来自 {winner}"
        assert won["answered_by"] == supervisors[winner].username
        # The loser is told what the question now is: the winner's answer.
        current = loser.json()["detail"]["question"]
        assert current["uuid"] == uuid
        assert current["status"] == "answered"
        assert current["answer"] == won["answer"]
        stored = agent.http.get(f"/questions/{uuid}").json()
        assert stored["answer"] == won["answer"]
        assert stored["row_version"] == 2
        # The agent's feed has exactly one "answered" change for it.
        changes, checkpoint = all_changes(agent, checkpoint)
        mine = [c for c in changes if c["kind"] == "question" and c["uuid"] == uuid]
        assert len(mine) == 1, mine
        assert mine[0]["data"]["status"] == "answered"
        assert mine[0]["data"]["answer"] == won["answer"]


def test_concurrent_claims_one_wins(server: Backend, actors: Actors) -> None:
    agent = actors("agent")
    handlers = [actors("supervisor"), actors("team_leader"), actors("manager")]
    uuid = ask(agent, "三人同时认领")
    barrier = threading.Barrier(len(handlers))
    codes: list[int] = []
    lock = threading.Lock()

    def claim(token: str) -> None:
        with server.client(token) as http:
            http.get("/health")
            barrier.wait(timeout=30)
            status = http.post(f"/questions/{uuid}/claim").status_code
        with lock:
            codes.append(status)

    threads = [threading.Thread(target=claim, args=(h.token,)) for h in handlers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(codes) == [200, 409, 409]
    changes, _ = all_changes(agent)
    claims = [c for c in changes if c["uuid"] == uuid]
    assert len(claims) == 1 and claims[0]["data"]["status"] == "claimed"
