"""Hand-computed fixtures of the analysis tests (shared by unit and build tests)."""

from __future__ import annotations

# Five paths: (user, day offset, channel, conversions, revenue). Day 0 = 2026-10-01.
# u1: a(0) b(7) c(14) -> converts on day 14 for 100
# u2: a(3) -> converts on day 3 for 50 (the conversion row has no channel)
# u3: b(1) c(2, the conversion row itself) -> 80
# u4: a(1) b(2) -> no conversion
# u5: c(5) -> no conversion
FIVE_PATHS = [
    ("u1", 0, "a", 0, 0),
    ("u1", 7, "b", 0, 0),
    ("u1", 14, "c", 0, 0),
    ("u1", 14, "", 1, 100),
    ("u2", 3, "a", 0, 0),
    ("u2", 3, "", 1, 50),
    ("u3", 1, "b", 0, 0),
    ("u3", 2, "c", 1, 80),
    ("u4", 1, "a", 0, 0),
    ("u4", 2, "b", 0, 0),
    ("u5", 5, "c", 0, 0),
]

TOUCHPOINTS_CSV = "date,user_id,channel,conversions,revenue\n" + "".join(
    f"2026-10-{1 + d:02d},{u},{c},{x},{r}\n" for u, d, c, x, r in FIVE_PATHS
)

# Ten customers: (customer, [(day, amount), ...]); as-of 2026-12-31.
TEN_CUSTOMERS = {
    "c01": [("2026-12-30", 500), ("2026-12-01", 400), ("2026-11-01", 300), ("2026-10-01", 300)],
    "c02": [("2026-12-25", 200), ("2026-11-15", 200), ("2026-10-15", 200)],
    "c03": [("2026-12-20", 80)],
    "c04": [("2026-12-15", 120), ("2026-09-01", 100)],
    "c05": [("2026-11-30", 50)],
    "c06": [("2026-11-01", 60), ("2026-10-01", 60)],
    "c07": [("2026-10-01", 900), ("2026-09-01", 900), ("2026-08-01", 600)],
    "c08": [("2026-09-15", 30)],
    "c09": [("2026-08-01", 40), ("2026-07-01", 40)],
    "c10": [("2026-07-01", 20)],
}
CHANNEL_OF = {"c01": "sem", "c02": "sem", "c03": "social", "c04": "social", "c05": "sem"}

ORDERS_CSV = "date,customer_id,channel,revenue\n" + "".join(
    f"{d},{c},{CHANNEL_OF.get(c, 'email')},{amount}\n"
    for c, orders in TEN_CUSTOMERS.items()
    for d, amount in sorted(orders)
)

# A/B test: 1,000 users per variant, 100 vs 130 conversions.
AB_CSV = (
    "date,variant,users,conversions\n"
    "2026-10-01,a,500,50\n2026-10-01,b,500,65\n"
    "2026-10-02,a,500,50\n2026-10-02,b,500,65\n"
)
