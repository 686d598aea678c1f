"""The demo organisation's people: Alder Valley Foods, a chilled-food manufacturer.

Fictional company, fictional people. One account per role signs in as
``<role>@demo.seedbed.test``; colleagues as ``first.last@demo.seedbed.test``. Every demo account
uses the password below, which is why the generator refuses to run in production settings.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field

from seedbed import policy

COMPANY = "Alder Valley Foods"
DOMAIN = "demo.seedbed.test"
PASSWORD = "seedbed-demo"

# (name, parent name): parents come first. Names are unique across this tree.
ORG_TREE: tuple[tuple[str, str | None], ...] = (
    (COMPANY, None),
    ("Operations", COMPANY),
    ("Leeds Plant", "Operations"),
    ("Wrexham Plant", "Operations"),
    ("Engineering & Maintenance", "Operations"),
    ("Supply Chain & Logistics", "Operations"),
    ("Quality & Food Safety", COMPANY),
    ("Product Development", COMPANY),
    ("Packaging Technology", "Product Development"),
    ("Commercial", COMPANY),
    ("Retail Sales", "Commercial"),
    ("Marketing & Consumer Insight", "Commercial"),
    ("Finance", COMPANY),
    ("People & Culture", COMPANY),
    ("IT & Digital", COMPANY),
)

COMPETENCIES: tuple[tuple[str, str], ...] = (
    ("Lean manufacturing", "Value-stream mapping, SMED, 5S, standard work."),
    ("HACCP and food safety", "Hazard analysis, CCP validation, BRCGS requirements."),
    ("Packaging engineering", "Materials, sealing, shelf-life and recyclability trials."),
    ("Sensory science", "Panel design, triangle tests, consumer acceptance."),
    ("Data analysis", "SQL, dashboards, statistics for process and sales data."),
    ("Energy management", "Metering, ISO 50001, steam, refrigeration and compressed air."),
    ("Consumer research", "Interviews, surveys, concept testing with shoppers."),
    ("Process automation", "PLC, vision systems, line integration."),
    ("Supplier management", "Specification, approval and development of suppliers."),
    ("Change management", "Bringing people along: communication, training, adoption."),
    ("Design thinking", "Framing problems, prototyping, testing with users."),
    ("Intellectual property", "Freedom to operate, trade secrets, patent basics."),
    ("Financial modelling", "Business cases, payback, NPV, cost of goods."),
    ("Project management", "Planning, risk, stage gates, stakeholder reporting."),
)


@dataclass(frozen=True)
class Person:
    key: str
    full_name: str
    job_title: str
    role: str
    unit: str | None
    competencies: tuple[str, ...] = ()
    # For partner accounts: the name of their organisation in the partner register, which the
    # strategy demo (partners) creates and links them to.
    partner_org_name: str = ""
    access_days: int | None = None  # access lapses this many days after seeding
    email: str = field(default="")

    @property
    def address(self) -> str:
        if self.email:
            return self.email
        # Plain ASCII addresses: "Kasia Wiśniewska" signs in as kasia.wisniewska@…
        plain = unicodedata.normalize("NFKD", self.full_name).encode("ascii", "ignore").decode()
        first, *_, last = plain.lower().split()
        return f"{first}.{last}@{DOMAIN}"


def _role_account(role: str, full_name: str, job_title: str, unit: str | None,
                  competencies: tuple[str, ...] = (), **extra) -> Person:
    return Person(key=role, full_name=full_name, job_title=job_title, role=role, unit=unit,
                  competencies=competencies, email=f"{role}@{DOMAIN}", **extra)


# The accounts the README and the login page point people to, one per role.
ROLE_ACCOUNTS: tuple[Person, ...] = (
    _role_account(policy.ADMIN, "Tomasz Nowak", "IT Systems Lead", "IT & Digital",
                  ("Data analysis", "Process automation")),
    _role_account(policy.MANAGER, "Hannah Lindqvist", "Innovation Manager",
                  "Product Development",
                  ("Design thinking", "Project management", "Change management")),
    _role_account(policy.LEADER, "Richard Ashworth", "Managing Director", COMPANY,
                  ("Financial modelling", "Change management")),
    _role_account(policy.EVALUATOR, "Dr Mei Chen", "Senior Food Technologist",
                  "Product Development", ("Sensory science", "HACCP and food safety")),
    _role_account(policy.CONTRIBUTOR, "Jamie Doyle", "Line Supervisor, Soups", "Leeds Plant",
                  ("Lean manufacturing",)),
    _role_account(policy.PARTNER, "Sofia Marquez", "Packaging Development Lead", None,
                  ("Packaging engineering",), partner_org_name="Kestrel Packaging Ltd"),
    _role_account(policy.AUDITOR, "Martin Keller", "Lead Auditor, Meridian Certification",
                  None, access_days=120),
)

C, E, L = policy.CONTRIBUTOR, policy.EVALUATOR, policy.LEADER

COLLEAGUES: tuple[Person, ...] = (
    Person("claire", "Claire Whitfield", "Operations Director", L, "Operations",
           ("Lean manufacturing", "Change management")),
    Person("tom", "Tom Ashby", "Finance Director", L, "Finance", ("Financial modelling",)),
    Person("aisha", "Aisha Khan", "Head of Quality & Food Safety", E, "Quality & Food Safety",
           ("HACCP and food safety", "Supplier management")),
    Person("gareth", "Gareth Evans", "Plant Manager, Wrexham", E, "Wrexham Plant",
           ("Lean manufacturing", "Energy management")),
    Person("liam", "Liam Byrne", "Electrical Engineer", E, "Engineering & Maintenance",
           ("Energy management", "Process automation")),
    Person("priya", "Priya Sharma", "Packaging Technologist", E, "Packaging Technology",
           ("Packaging engineering", "Intellectual property")),
    Person("femi", "Femi Okonkwo", "Management Accountant", E, "Finance",
           ("Financial modelling",)),
    Person("paul", "Paul Greaves", "Procurement Manager", E, "Supply Chain & Logistics",
           ("Supplier management", "Financial modelling")),
    Person("irene", "Irene Costa", "Sustainability Manager", E, "Operations",
           ("Energy management", "Packaging engineering")),
    Person("olu", "Olu Adeyemi", "Maintenance Engineer", C, "Engineering & Maintenance",
           ("Process automation", "Energy management")),
    Person("kasia", "Kasia Wiśniewska", "Production Operative, Soups", C, "Leeds Plant"),
    Person("dan", "Dan McAllister", "Shift Manager", C, "Leeds Plant", ("Lean manufacturing",)),
    Person("rhian", "Rhian Jones", "Hygiene Team Leader", C, "Wrexham Plant",
           ("HACCP and food safety",)),
    Person("ben", "Ben Hartley", "Development Chef", C, "Product Development",
           ("Sensory science", "Design thinking")),
    Person("nadia", "Nadia Haddad", "Consumer Insight Manager", C,
           "Marketing & Consumer Insight", ("Consumer research", "Design thinking")),
    Person("sam", "Sam Whitaker", "Key Account Manager", C, "Retail Sales"),
    Person("ellie", "Ellie Fraser", "Brand Manager", C, "Marketing & Consumer Insight",
           ("Consumer research",)),
    Person("marcus", "Marcus Reid", "Planning Manager", C, "Supply Chain & Logistics",
           ("Data analysis", "Supplier management")),
    Person("joanna", "Joanna Pike", "Warehouse & Transport Lead", C,
           "Supply Chain & Logistics", ("Lean manufacturing",)),
    Person("lucy", "Lucy Chambers", "HR Business Partner", C, "People & Culture",
           ("Change management",)),
    Person("ahmed", "Ahmed Rashid", "Data Analyst", C, "IT & Digital",
           ("Data analysis", "Process automation")),
    Person("grace", "Grace Obi", "Quality Technician", C, "Quality & Food Safety",
           ("HACCP and food safety",)),
    Person("stefan", "Stefan Müller", "Process Engineer", C, "Leeds Plant",
           ("Lean manufacturing", "Process automation")),
    Person("chloe", "Chloe Bennett", "Graduate Food Scientist", C, "Product Development",
           ("Sensory science",)),
    Person("megan", "Megan Lloyd", "Production Operative, Sauces", C, "Wrexham Plant"),
    Person("yusuf", "Yusuf Demir", "Health & Safety Advisor", C, "Operations"),
)

PEOPLE: dict[str, Person] = {p.key: p for p in (*ROLE_ACCOUNTS, *COLLEAGUES)}
