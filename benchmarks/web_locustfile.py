"""Locust users for benchmarks/web_load.py; run by it from .venv-bench (`make bench-env`), never
imported by Django. The plan (a JSON file named by MANYI_LOAD_PLAN) gives each role its
sessions (one per person: a session and a CSRF cookie), its share of the users and its pages with their weights.

Each simulated person is one role for the whole run, walks that role's pages at random by
weight with no pause between requests (the run measures how much the server can do), and
counts anything but a 200 as a failure (a redirect means the session or a page is broken).
"""

import json
import os
import random

from locust import FastHttpUser, constant, task

with open(os.environ["MANYI_LOAD_PLAN"], encoding="utf-8") as plan_file:
    PLAN = json.load(plan_file)
ROLES = sorted(PLAN["roles"])


def turns():
    """Roles in turn by weight, interleaved (smooth weighted round robin): any number of
    users splits the same way on every run, and the first ten are already a mix."""
    weights = {role: PLAN["roles"][role]["weight"] for role in ROLES}
    total = sum(weights.values())
    credit = dict.fromkeys(ROLES, 0)
    while True:
        for role in ROLES:
            credit[role] += weights[role]
        chosen = max(ROLES, key=credit.__getitem__)
        credit[chosen] -= total
        yield chosen


TURNS = turns()
# Each person of a role takes the next of the role's sessions (its own browser's cookies).
SEATS = {role: iter(PLAN["roles"][role]["cookies"] * 1000) for role in ROLES}


class Person(FastHttpUser):
    wait_time = constant(0)

    def on_start(self):
        role = next(TURNS)
        spec = PLAN["roles"][role]
        self.headers = {"Cookie": next(SEATS[role])}
        self.pages = spec["pages"]
        self.weights = [weight for _name, _path, weight in self.pages]
        self.rng = random.Random(len(self.pages) * 7919 + id(self) % 1000)

    @task
    def open_a_page(self):
        name, path, _weight = self.rng.choices(self.pages, self.weights)[0]
        with self.client.get(
            path, headers=self.headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if response.status_code != 200:
                response.failure(f"status {response.status_code}")
