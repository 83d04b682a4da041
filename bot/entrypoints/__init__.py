"""The composition roots: the only modules that read Settings and build engines, clients and apps.

`cli` is the `bravo` command; `runtime` wires Settings into the dependencies, the Bolt app and the
Slack clients; `server` runs it under gunicorn; `demo` plays a week against `standin`; `check`
reports on a configuration.
"""
