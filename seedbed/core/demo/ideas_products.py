"""Demo ideas for the food-waste, healthy-convenience and new-starter challenges."""

from __future__ import annotations

from seedbed.core.demo.seeds import IdeaSeed, md

WASTE_IDEAS: tuple[IdeaSeed, ...] = (
    IdeaSeed(
        "marcus", "Forecast short-life products daily, not weekly",
        md("""
        Our chilled meals have **3-5 days of life** when they leave us, but we plan them on a
        weekly forecast that is updated on Mondays. When the weather turns or a promotion
        underperforms, we keep making to a number that is already wrong.

        **Idea:** re-forecast the 40 shortest-life SKUs every morning using the retailers'
        daily sales feed (which we already receive and mostly ignore), and adjust the next
        day's plan.

        Rough size: finished-goods waste on those SKUs is 3.1 %; halving it saves about
        £400k a year.
        """),
        comments=(
            ("sam", "Both big retailers send EPOS data daily. Nobody owns it at the moment, so "
                    "this would need an owner as much as a model."),
            ("ahmed", "I can set up a daily job that loads the feed and produces a suggested "
                      "plan. Starting simple: last 4 weeks same weekday, adjusted for "
                      "promotions."),
            ("manager", "Shortlisted. Marcus and Ahmed, could you run a 6-week pilot on the "
                        "soup range and report waste before and after?"),
        ),
        votes=9,
    ),
    IdeaSeed(
        "dan", "Weigh and log start-up waste on every line",
        md("""
        Every line start-up throws product away: the first trays are underweight, the first
        soup out of the pipework is diluted with rinse water. Nobody knows how much, because
        it goes straight into the waste bin.

        Put a **waste bin on a scale** at each line with a tablet: operator picks the reason
        (start-up, changeover, breakdown, quality) and the weight is logged.

        After a month we would know where the waste actually is, instead of guessing.
        """),
        comments=(
            ("stefan", "We did this on line 1 for two weeks in 2023: 60% of the waste was "
                       "start-up. It stopped when the tablet broke. Let's do it properly."),
            ("ahmed", "The scales can send weights over wifi; the reason codes could use the "
                      "same list as the downtime codes."),
        ),
        votes=6,
    ),
    IdeaSeed(
        "ben", "Turn clean vegetable trimmings into the soup base",
        md("""
        Prep trims carrot ends, onion tops and celery leaves off **4-5 tonnes of vegetables a
        week**. Most of it is clean, edible and full of flavour, and we pay to send it to
        anaerobic digestion.

        We also buy in vegetable stock concentrate for the soups.

        **Idea:** collect trimmings from the prep room in dedicated bins, roast and simmer
        them into our own stock in kettle 6, and use it in the soup range. I've made test
        batches in the development kitchen and the panel preferred it to the bought-in stock.
        """),
        comments=(
            ("aisha", "Possible, but the trimmings would have to be treated as a raw material "
                      "with their own spec, handling rules and micro limits. Talk to me before "
                      "any line trial."),
            ("evaluator", "The panel result was real: 14 of 18 preferred Ben's stock. Cost and "
                          "consistency between batches are the open questions."),
            ("femi", "Bought-in stock is about £90k a year, plus AD gate fees. There is a "
                     "case if the kettle time is available."),
        ),
        votes=8,
    ),
    IdeaSeed(
        "joanna", "Send short-dated surplus to food redistribution and the staff shop",
        md("""
        Every week we throw away pallets of perfectly good product that is too short-dated
        for the retailers (they want at least 3 days of life on arrival).

        Two routes:

        1. **Food redistribution charities** collect surplus for community groups; they take
           chilled food with 1-2 days of life.
        2. **Staff shop** at both sites, at a token price.

        Both are better than paying for anaerobic digestion.
        """),
        comments=(
            ("sam", "Careful: most of it is retailer own-label. We need each retailer's written "
                    "consent before it goes anywhere. Charities are usually fine; a staff shop "
                    "is usually fine too if it's our staff only."),
            ("lucy", "People & Culture would love a staff shop. It would also help with the "
                     "cost-of-living pressure some of our teams are feeling."),
        ),
        votes=7,
    ),
    IdeaSeed(
        "stefan", "Tighten the lasagne depositor: we give away 12 g a pack",
        md("""
        The lasagne packs say 400 g. The checkweigher data for the last quarter says the
        average is **412 g**, because the depositor is set high to avoid rejects.

        | | today | proposal |
        |---|---|---|
        | target weight | 412 g | 404 g |
        | standard deviation | 6.8 g | 4 g (after fixing the depositor seals) |
        | packs rejected underweight | 0.3 % | ~0.5 % |

        Closing the loop (checkweigher feeds back to the depositor every 20 packs) and
        replacing worn seals lets us set the target lower without breaking the average
        quantity rules.

        12 g × 4 million packs is **48 tonnes** of lasagne a year.
        """),
        comments=(
            ("grace", "The average has to stay above 400 g and we must stay within the "
                      "tolerable negative error rules. 404 g looks OK with a 4 g deviation, "
                      "but let's see the data after the seals are replaced."),
            ("femi", "48 t of lasagne at cost is around £150k. This is the biggest number on "
                     "the board so far."),
            ("olu", "Seal kit is on order. The feedback loop needs the checkweigher firmware "
                    "update, which the supplier can do remotely."),
        ),
        votes=10,
    ),
    IdeaSeed(
        "grace", "A decision tree for night-time chiller alarms instead of binning",
        md("""
        When a chill store alarm goes off at night, the safe default is to quarantine and
        often bin the whole store. Sometimes the alarm was a door left open for ten minutes
        and the product never got warm.

        A **decision tree agreed with Quality in advance**: product core temperature probes,
        logger data, time above 8 °C. Release what is clearly safe, bin what isn't, and write
        down why.
        """),
        comments=(
            ("aisha", "Agree in principle, and it must be a documented procedure with trained "
                      "people on nights. I'll draft it with Grace."),
        ),
        votes=3,
    ),
    IdeaSeed(
        "sam", "Agree flexible volumes with retailers for promotions",
        md("""
        Promotions are where forecasts go most wrong: we make to the retailer's promo
        forecast, and they often sell 60-70 % of it.

        Propose a **flex agreement**: we make to 80 % of the promo forecast, hold ingredients
        for the rest, and the retailer calls off top-ups with 24 hours' notice.
        """),
        comments=(
            ("marcus", "Needs the daily forecast idea to work, otherwise we can't react in "
                       "24 hours."),
        ),
        votes=4,
    ),
    IdeaSeed(
        "megan", "Catch filler changeover sauce in clean containers for rework",
        md("""
        When the Wrexham sauce filler changes over between two batches of the **same
        recipe**, we flush the first few kilos into waste. It's the same sauce.

        Catch it in clean, labelled containers and add it back to the next batch of the same
        recipe, within the same shift.
        """),
        comments=(
            ("aisha", "Rework is allowed under our procedure if it is the same recipe and the "
                      "same allergen profile, it is traceable and it is used within the shift. "
                      "Let's write this one up properly."),
        ),
        votes=5,
    ),
    IdeaSeed(
        "nadia", "Tell shoppers they can freeze it",
        md("""
        A lot of our food is wasted **at home**, not by us: our research shows the top reason
        is "forgot it was in the fridge".

        Most of our meals freeze well. Put a clear "freeze on the day of purchase, eat within
        one month" icon on the front of pack, and test it on two products.
        """),
        comments=(
            ("evaluator", "Most recipes are fine, but the cream-based sauces split after "
                          "freezing. We'd need to test each recipe before we claim it."),
        ),
        votes=6,
    ),
    IdeaSeed(
        "chloe", "High-pressure processing to extend soup shelf life",
        md("""
        High-pressure processing (HPP) kills spoilage organisms without heat. Other producers
        use it to get fresh soups from **14 days to 30-45 days** of life, with a fresher taste
        than pasteurising.

        We don't need to buy a machine: there are tolling services that process pallets for
        a fee per kg. Longer life would cut both our waste and the retailers'.
        """),
        comments=(
            ("evaluator", "HPP doesn't inactivate spores, so for low-acid soups the safety case "
                          "needs care. Worth a challenge study with a lab."),
            ("paul", "The nearest tolling site is two hours away. Transport cost and the extra "
                     "day in the chain need to be in the numbers."),
        ),
        votes=5,
    ),
)

HEALTHY_IDEAS: tuple[IdeaSeed, ...] = (
    IdeaSeed(
        "nadia", "A high-protein, under-500-calorie lunch range",
        md("""
        Our shopper research this autumn (n = 1,200) found a clear gap:

        - 41 % of 25-40 year-olds check protein on the pack
        - the top reason for not buying our meals at lunchtime: "too heavy"
        - competitors' high-protein pots sell at a **20-30 % price premium**

        **Idea:** four lunch pots with at least 30 g protein and under 500 kcal, built on our
        existing chicken and lentil bases so no new ingredients are needed.
        """),
        comments=(
            ("ben", "Two of the four can be based on existing recipes. I can have kitchen "
                    "samples in two weeks."),
            ("ellie", "The range needs a name that isn't 'fitness' - our research says that "
                      "word puts off as many people as it attracts."),
            ("leader", "This is a good example of what the strategy means by healthy "
                       "convenience. Let's see concepts at the next portfolio review."),
        ),
        votes=11,
    ),
    IdeaSeed(
        "ben", "Hidden-veg kids' meals: two portions of vegetables in every meal",
        md("""
        Parents tell us they want kids' meals with more vegetables, but kids pick out what
        they can see. Blend the vegetables into the sauce: a kids' mac and cheese with
        butternut squash and cauliflower, a bolognese with lentils, carrot and courgette.

        Target: **two of the five-a-day** per meal, and no HFSS classification.
        """),
        comments=(
            ("chloe", "I can run the nutrient profiling for the first recipes."),
        ),
        votes=7,
    ),
    IdeaSeed(
        "evaluator", "Reformulate our ten best-sellers out of HFSS",
        md("""
        Since the **HFSS restrictions**, products classed as high in fat, sugar or salt can't
        be placed at store entrances, aisle ends or on multibuy promotions. Six of our ten
        best-sellers are HFSS.

        Most of them are only 1-2 points over the threshold of the nutrient profiling model.
        Typical levers:

        - salt down 15-20 % (herbs, yeast extract, potassium salt blend)
        - cheese topping: less, but a stronger mature cheddar
        - add vegetables and fibre, which earn points back

        Each recipe change needs a sensory test against the current product: no reformulation
        if shoppers can taste the difference.
        """),
        comments=(
            ("sam", "This would change our promotions plan completely. Retailers ask about HFSS "
                    "status before anything else now."),
            ("femi", "Ingredient cost change on the first two recipes is within +1p per pack."),
            ("manager", "Shortlisted, and I'd suggest we treat it as a portfolio rather than "
                        "ten separate ideas. Mei, can you lead the concept?"),
            ("evaluator", "Yes. Chloe and Ben will help with recipes and profiling."),
        ),
        votes=9,
    ),
    IdeaSeed(
        "ellie", "Soups that can say 'high in fibre'",
        md("""
        "High fibre" is one of the few claims shoppers actually notice. A product needs at
        least **6 g fibre per 100 g** (or 3 g per 100 kcal). Our lentil and bean soups are
        already close.

        Small recipe changes (more beans, barley, a fibre-rich vegetable) could put four soups
        over the line, and we'd get the claim on the front of pack.
        """),
        comments=(
            ("chloe", "Our lentil & bacon is 2.4 g per 100 kcal. Adding pearl barley gets it to "
                      "about 3.1 in my calculation."),
        ),
        votes=5,
    ),
    IdeaSeed(
        "chloe", "A fermented flavour base to cut salt by a quarter",
        md("""
        Salt is the hardest lever in reformulation because it carries flavour. Fermented
        ingredients (koji, miso-style bases, yeast extracts) add savoury depth, so less salt
        tastes the same.

        Proposal: a six-week project with a university partner to develop **our own
        fermented base** from pea protein, which we could use across soups and sauces.
        """),
        comments=(
            ("evaluator", "Promising. I'd start with commercially available bases to prove "
                          "the sensory effect before building our own."),
            ("priya", "If we develop our own base, we should think about protecting the "
                      "process early - it could be a real trade secret."),
        ),
        votes=6,
    ),
    IdeaSeed(
        "sam", "A good meal for one, at a lower price point",
        md("""
        Single-person households are a third of UK households and growing. Our meals for one
        are priced as a treat. There's room for a **simple, honest meal for one** around
        £2.50, made on our existing lines with our highest-volume components.
        """),
        votes=3,
    ),
    IdeaSeed(
        "ben", "Half the meat, same taste: blended versions of our three best-sellers",
        md("""
        Fully plant-based ranges have had a hard few years, but "blended" recipes (half meat,
        half lentils, mushrooms and vegetables) are growing and don't ask the shopper to
        change habits.

        Start with cottage pie, chilli and bolognese. Benefits:

        - lower cost per kg (meat is our most expensive ingredient)
        - more fibre, less saturated fat
        - lower carbon footprint per pack, which two retailers now ask for
        """),
        comments=(
            ("nadia", "In our panel, 'more veg' tested better than 'less meat'. Let's talk "
                      "about what it adds, not what it takes away."),
            ("femi", "Meat is 38% of recipe cost on the cottage pie. Even a 30% swap is a good "
                     "margin story."),
        ),
        votes=8,
    ),
    IdeaSeed(
        "kasia", "Central European soups: żurek and barszcz",
        md("""
        A lot of us at Leeds grew up with **żurek** (sour rye soup) and **barszcz** (beetroot
        soup). There are hundreds of thousands of people in the UK who know these soups and
        can only find them in specialist shops, and both are naturally light.

        I'm happy to bring my grandmother's recipes to the development kitchen.
        """),
        comments=(
            ("nadia", "Love this. We could test it with a small run in the stores near "
                      "communities that know these soups first."),
            ("ben", "Kasia, come over on Thursday and let's cook both."),
        ),
        votes=4,
    ),
    IdeaSeed(
        "rhian", "A free-from range made on a segregated line",
        md("""
        Shoppers with coeliac disease or milk allergy have very few chilled ready meals to
        choose from. We could make a **free-from range** (no gluten, no milk) at Wrexham
        on line 4, which only runs three days a week.

        It would need full segregation: dedicated utensils, colour coding, a validated clean
        before every run and allergen testing of each batch.
        """),
        comments=(
            ("aisha", "Doable but demanding: a validated clean and a testing plan, and one "
                      "mistake would be a recall. Line 4 has the best layout for it."),
        ),
        votes=5,
    ),
    IdeaSeed(
        "lucy", "Use the staff canteen as our test kitchen",
        md("""
        We have 1,100 people eating lunch at our two sites. Put **one new concept a week** on
        the canteen menu and ask people to rate it with a QR code on the table.

        Cheap and quick consumer feedback, and people would enjoy being part of product
        development.
        """),
        comments=(
            ("evaluator", "Staff are not a representative panel, but for early screening it's "
                          "a great idea."),
        ),
        votes=6,
    ),
)

ONBOARDING_IDEAS: tuple[IdeaSeed, ...] = (
    IdeaSeed(
        "lucy", "A buddy for every new starter for their first four weeks",
        md("""
        A third of the people who leave us on the shop floor leave in their **first 90 days**.
        In exit interviews the most common reason is "didn't know anyone, didn't know who to
        ask".

        Every new starter gets a named buddy on the same shift for four weeks. Buddies get a
        short briefing and a small thank-you payment.
        """),
        comments=(
            ("dan", "We did this informally on the late shift and it works. Formalising it "
                    "makes sure it happens on every shift."),
            ("manager", "Selected for implementation. Lucy is running a pilot at Leeds from "
                        "next month."),
        ),
        votes=12,
    ),
    IdeaSeed(
        "kasia", "Induction material in Polish, Romanian and Punjabi",
        md("""
        Many new starters speak English as a second language. The induction is one long talk
        in English, and people nod even when they don't understand.

        Translate the **hygiene and safety essentials** (one page each) and have a colleague
        who speaks the language available on the first day.
        """),
        comments=(
            ("lucy", "Yes. We'll need the translations checked by Quality and Health & Safety "
                     "so the meaning doesn't change."),
            ("yusuf", "Safety signs already use pictograms; the induction should too."),
        ),
        votes=10,
    ),
    IdeaSeed(
        "dan", "The first shift is half a shift, alongside the shift manager",
        md("""
        Day one is currently a full 8-hour shift straight after induction. It's overwhelming.
        Make it a half shift, with 30 minutes of it walking the line with the shift manager.
        """),
        votes=6,
    ),
    IdeaSeed(
        "yusuf", "Hygiene and safety induction as a walk, not slides",
        md("""
        The current induction is 90 minutes of slides in a meeting room. Replace most of it
        with a **guided walk**: hand-wash station, changing procedure, emergency stops, fire
        exits, allergen areas. People remember what they have done, not what they have seen.
        """),
        comments=(
            ("rhian", "Same for hygiene: doing the hand-wash with the UV gel in front of them "
                      "is worth ten slides."),
        ),
        votes=7,
    ),
    IdeaSeed(
        "rhian", "Photo-based standard work at every station",
        md("""
        Laminated photo cards at each station showing the 4-6 steps of the job, with the
        critical quality points highlighted. New starters (and agency staff) can check
        themselves without having to ask.
        """),
        votes=8,
    ),
    IdeaSeed(
        "contributor", "A 30/60/90-day check-in with the line supervisor",
        md("""
        Three short conversations: how is it going, what's unclear, what would you change?
        Fifteen minutes each, written down in a simple form, so we also learn what to fix in
        the induction.
        """),
        votes=5,
    ),
    IdeaSeed(
        "megan", "Lockers, boots and whites ready on day one",
        md("""
        I waited three days for my safety boots and a week for a locker when I started. For
        those days I felt like a visitor.

        HR tells the stores team the start date and sizes a week before, and everything is
        ready and labelled when the person arrives.
        """),
        comments=(
            ("lucy", "Embarrassing but true. This one is easy to fix - we'll add it to the "
                     "starter checklist."),
        ),
        votes=9,
    ),
    IdeaSeed(
        "ahmed", "A simple app with the site map, shifts and who to ask",
        md("""
        A small web app for new starters: site map, shift patterns, canteen times, who your
        supervisor and buddy are, and the most common questions.
        """),
        comments=(
            ("lucy", "We looked at this: not everyone has a smartphone or wants work on it. A "
                     "printed welcome card with a QR code for those who want more might be a "
                     "better start."),
        ),
        votes=2,
    ),
)
