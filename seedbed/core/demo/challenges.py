"""The demo organisation's challenges, each with the ideas colleagues sent in."""

from __future__ import annotations

from seedbed.core.demo.ideas_operations import ENERGY_IDEAS, PACKAGING_IDEAS
from seedbed.core.demo.ideas_products import HEALTHY_IDEAS, ONBOARDING_IDEAS, WASTE_IDEAS
from seedbed.core.demo.seeds import ChallengeSeed, md

CHALLENGES: tuple[ChallengeSeed, ...] = (
    ChallengeSeed(
        "onboarding", "Make the first 90 days great for new starters on the shop floor",
        md("""
        A third of the people who leave our production teams leave within **90 days** of
        joining. Each early leaver costs us around £3,000 in recruitment and training, and
        every shift carries the gap.

        We asked everyone, and especially colleagues who joined in the last two years: what
        would have made your first weeks better?

        ### Outcome
        This challenge is closed. Twelve people joined the review session; the buddy scheme
        and the translated induction essentials were selected for a pilot at Leeds.
        """),
        status="closed", opens_in_days=-150, closes_in_days=0,
        ideas=ONBOARDING_IDEAS,
    ),
    ChallengeSeed(
        "packaging", "Halve virgin plastic in our packaging by 2028",
        md("""
        Under packaging **Extended Producer Responsibility (EPR)** we now pay a fee for every
        tonne of packaging we put on the market, and two of our largest customers have asked
        suppliers for a plan to **halve virgin plastic by 2028**.

        Last year we placed about **1,840 tonnes** of packaging on the market; 61 % of it was
        plastic, mostly CPET and PP trays and PET lidding film on the ready meals.

        ### What we are looking for
        - ways to remove, reduce or replace plastic in primary or secondary packaging
        - changes that keep shelf life and food safety intact (Quality reviews every
          shortlisted idea)
        - quick wins we can trial on one line, as well as bigger bets

        ### What happens next
        The innovation team shortlists ideas every two weeks. A shortlisted idea gets a
        packaging technologist and a trial budget of up to £5,000.
        """),
        status="open", opens_in_days=-40, closes_in_days=45,
        ideas=PACKAGING_IDEAS,
    ),
    ChallengeSeed(
        "waste", "Less food waste from line to shelf",
        md("""
        We lose **6.8 %** of the food we buy between goods-in and the retailer's shelf:
        trimmings, start-up and changeover waste, giveaway, and finished goods that run out of
        life. Our objective is **4 % by the end of next year**.

        Every percentage point is worth roughly £1.1 million, and the same amount of food that
        nobody eats.

        Tell us where you see waste in your own work, however small, and what you would do
        about it. Ideas that help shoppers waste less at home are welcome too.
        """),
        status="open", opens_in_days=-60, closes_in_days=20,
        ideas=WASTE_IDEAS,
    ),
    ChallengeSeed(
        "energy", "Cut energy use per tonne at our plants",
        md("""
        Energy is now our third-largest cost after ingredients and people. Both plants use
        about **410 kWh per tonne** of food produced: steam for cooking and cleaning,
        refrigeration for chilling, and compressed air.

        Our objective is **15 % less energy per tonne by 2027**.

        This challenge is for colleagues in **Operations** (both plants, engineering, supply
        chain) and **Finance**, who see the meters and the bills. Small fixes count: a valve
        left open, a fan that runs all night. So do projects that need capital; the capital
        review in March will look at the best ones.
        """),
        status="open", opens_in_days=-25, closes_in_days=35,
        units=("Operations", "Finance"),
        ideas=ENERGY_IDEAS,
    ),
    ChallengeSeed(
        "healthy", "Healthy convenience: what should we cook next?",
        md("""
        Shoppers want meals that are quick **and** good for them. Retailers are moving shelf
        space away from products that are high in fat, sugar or salt, and our own research
        shows that "healthy" is the first thing younger shoppers look for after price.

        We are looking for product ideas for the next two years:

        1. new meals, soups or sauces for shoppers who want healthy convenience
        2. ways to make our existing best-sellers healthier without losing what people
           like about them
        3. new occasions (lunch at work, kids' teas, meals for one)

        Development kitchen time is booked for the best ideas in the new year.
        """),
        status="open", opens_in_days=-10, closes_in_days=70,
        ideas=HEALTHY_IDEAS,
    ),
    ChallengeSeed(
        "digital", "Digital tools for the plant floor",
        md("""
        *Scheduled - opens by itself in a month.*

        Paper is still everywhere on our lines: check sheets, batch records, maintenance
        requests. Which paper process costs you the most time, and what would replace it?

        Finance has agreed a budget for two pilots; IT will support what we choose.
        """),
        status="draft", opens_in_days=30, closes_in_days=90,
    ),
    ChallengeSeed(
        "proteins", "Open call: alternative proteins with start-ups and universities",
        md("""
        *Draft - to be opened to invited partners.*

        We want two or three partners to explore fermented and plant proteins for chilled
        meals with us: access to our development kitchen and a pilot line, in exchange for
        early access to their technology.
        """),
        status="draft",
    ),
)
