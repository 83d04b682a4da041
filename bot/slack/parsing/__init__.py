"""Slack payloads in, typed requests out: pure functions, tested with literal payloads.

`tokens` holds the one set of Slack markup patterns (`<@U1>`, `<#C1|name>`, `<!subteam^S1>`,
`<!here>`, `#tags`); the other modules read one feature's payloads each.
"""
