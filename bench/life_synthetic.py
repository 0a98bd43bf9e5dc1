"""Synthetic organisational life for a foundation built with `demo_org --scale N --no-features`, in plain SQL.

    DANGJIAN_VAR_DIR=/tmp/perf100k .venv/bin/python bench/life_synthetic.py /tmp/perf100k/bench.sqlite3 [--today 2026-12-08]

Seconds instead of the meetings seeder's tens of minutes (which could not finish on the loaded machine, 7-8
December 2026). Run it before migrating meetings to 0008 (the migration fills the stored dates), or run
`manage.py life_dates --fix` after it.

Each branch, joint branch and general branch holds a theme day every month and a branch general meeting every
quarter, a Party group a group meeting every month, over the 24 months to today; every active member directly
on the org's roll is recorded: 85 % present, 5 % on leave, 10 % absent (a hash of member and meeting);
one member in 40 drifts away 3-7 months ago (absent since).
"""
import argparse
import datetime as dt
import json
import sqlite3
import time

from machine import machine, uptime  # bench/machine.py

parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
parser.add_argument("database")
parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date.today())
args = parser.parse_args()
t = time.time()
c = sqlite3.connect(args.database)
today = args.today
months = []
y, m = today.year - 2, today.month
for _ in range(24):
    m += 1
    if m == 13:
        y, m = y + 1, 1
    months.append((y, m))
c.execute("create temp table mo(d text)")
c.executemany("insert into mo values (?)", [(f"{y:04d}-{m:02d}-{10 if (y, m) != (today.year, today.month) else 2:02d} 06:30:00",) for y, m in months])
now = f"{today} 00:00:00"
c.execute(f"""insert into meetings_meeting (created_at, updated_at, meeting_type, state, starts_at, place, topic, minutes,
    org_id, cancel_reason)
    select '{now}', '{now}', case when o.kind = 'group' then 'group' else 'theme_day' end, 'held', mo.d, '党员活动室', '主题党日', '纪要', o.id, ''
    from orgs_org o, mo where o.kind in ('branch', 'joint_branch', 'general_branch', 'group') and o.is_active""")
c.execute(f"""insert into meetings_meeting (created_at, updated_at, meeting_type, state, starts_at, place, topic, minutes,
    org_id, cancel_reason)
    select '{now}', '{now}', 'branch_general', 'held', replace(mo.d, '-10 ', '-12 '), '党员活动室', '支部党员大会', '纪要', o.id, ''
    from orgs_org o, mo where o.kind in ('branch', 'joint_branch', 'general_branch') and o.is_active
    and cast(substr(mo.d, 6, 2) as integer) % 3 = 0""")
print("meetings", c.execute("select count(*) from meetings_meeting").fetchone(), round(time.time() - t), flush=True)
drift = f"date('{today}', '-' || (3 + (mb.id / 40) % 5) || ' months')"
c.execute(f"""insert into meetings_attendance (status, reason, member_id, meeting_id, expected)
    select case when mb.id % 40 = 0 and substr(mt.starts_at, 1, 10) >= {drift} then 'absent'
                when (mb.id * 7919 + mt.id * 104729) % 100 < 85 then 'present'
                when (mb.id * 7919 + mt.id * 104729) % 100 < 90 then 'leave' else 'absent' end,
           case when (mb.id * 7919 + mt.id * 104729) % 100 between 85 and 89
                     and not (mb.id % 40 = 0 and substr(mt.starts_at, 1, 10) >= {drift}) then '出差' else '' end,
           mb.id, mt.id, 1
    from meetings_meeting mt join orgs_member mb on mb.org_id = mt.org_id
    where mb.status = 'active' and substr(mt.starts_at, 1, 10) >= mb.joined_on""")
c.commit()
print("attendance", c.execute("select count(*) from meetings_attendance").fetchone(), round(time.time() - t), flush=True)
print(json.dumps({"meetings": c.execute("select count(*) from meetings_meeting").fetchone()[0],
                  "attendance": c.execute("select count(*) from meetings_attendance").fetchone()[0],
                  "seconds": round(time.time() - t, 1), "machine": machine(), "uptime": uptime()}))
