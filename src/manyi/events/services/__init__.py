"""The only code that changes events, registrations, materials and practice shares.

- `organising`: create, edit, publish, cancel an event, mark it held.
- `registration`: register (confirmed or waiting list, decided under the event's row lock),
  cancel a registration (the first waiting moves up), check in.
- `after_event`: materials, practice shares, the registrations' export.
"""
