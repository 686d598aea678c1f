"""Alder Valley Foods' partner register (clause 6.6): a packaging supplier, a university food
science school, an energy start-up and a retailer, with their NDAs and IP terms; the demo
partner account belongs to the supplier.

Everything goes through seedbed.strategy.actions.partners, so the audit trail tells the story.
Adds ``ctx["partners"]`` (by name) for later areas.
"""

from __future__ import annotations

from datetime import date, timedelta

from seedbed import policy
from seedbed.core.demo.people import PEOPLE
from seedbed.strategy.actions import partners as actions

# (name, kind, website, contact name, contact e-mail, description,
#  [(kind, title, starts (days from today), ends (days from today) or None, IP terms)])
PARTNERS = (
    ("Kestrel Packaging Ltd", "supplier", "https://kestrel-packaging.example", "Sofia Marquez",
     "sofia.marquez@kestrel-packaging.example",
     "Our main supplier of trays, pots and lidding films. Their development team runs the "
     "**mono-material tray** trials with our packaging technologists.",
     [("nda", "Mutual non-disclosure agreement", -700, 395, ""),
      ("ip", "Mono-material tray development: IP terms", -200, None,
       "- Tooling and film formulations stay **Kestrel's**.\n"
       "- Pack formats and line settings developed for our products are **ours**.\n"
       "- Either side may publish results after 12 months, with the other's consent.")]),
    ("Pennine University, School of Food Science", "university", "https://food.pennine.example",
     "Dr Helen Marsh", "h.marsh@pennine.example",
     "Shelf-life modelling and sensory research; hosts our graduate food scientists' projects.",
     [("nda", "NDA for the 2023 student project on soup shelf-life", -900, -535, ""),
      ("collaboration", "Knowledge transfer partnership: shelf-life modelling", -400, 330,
       "Background IP stays with each party. Foreground IP is ours; the university may use "
       "it for teaching and publish after a 6-month review.")]),
    ("Voltwise Energy", "startup", "https://voltwise.example", "Lena Frost",
     "lena@voltwise.example",
     "Start-up with a heat-pump system that recovers heat from refrigeration for cleaning "
     "water. Candidate partner for the Leeds heat-recovery pilot.",
     [("nda", "Heat-recovery pilot NDA", -90, 640, "")]),
    ("Harwood's Supermarkets", "customer", "https://harwoods.example", "Mark Bellamy",
     "m.bellamy@harwoods.example",
     "Our second-largest retail customer. Joint innovation days twice a year; shares "
     "shopper data for concept tests.",
     [("nda", "Joint innovation programme NDA", -300, 65, ""),
      ("ip", "Co-developed own-label products: IP terms", -300, None,
       "Recipes remain ours; the own-label brand and artwork remain Harwood's. Exclusivity "
       "for 12 months from launch.")]),
)


def build(ctx: dict) -> None:
    users = ctx["users"]
    today: date = ctx["today"]
    manager = users[policy.MANAGER]
    partners = {}
    for name, kind, website, contact, email, description, agreements in PARTNERS:
        partner = actions.register_partner(manager, name=name, kind=kind, website=website,
                                           contact_name=contact, contact_email=email,
                                           description=description)
        for a_kind, title, starts, ends, ip_terms in agreements:
            actions.add_agreement(manager, partner, kind=a_kind, title=title,
                                  starts_on=today + timedelta(days=starts),
                                  ends_on=today + timedelta(days=ends) if ends is not None
                                  else None, ip_terms=ip_terms)
        partners[name] = partner
    # Partner accounts were created with the people; they join their organisation here.
    for person in PEOPLE.values():
        if person.partner_org_name:
            actions.assign_partner_account(users[policy.ADMIN], users[person.key],
                                           partners[person.partner_org_name])
    ctx["partners"] = partners
