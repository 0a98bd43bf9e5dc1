"""The demo organisation: a realistic, deterministic installation built fast.

`plan` lays out the org tree (names, kinds, terms, member counts per leaf),
`people` invents the members, `personas` creates the demo users, and `build`
writes it all with bulk inserts. The `demo_org` command drives it.
"""
