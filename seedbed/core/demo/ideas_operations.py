"""Demo ideas for the packaging and the energy challenges."""

from __future__ import annotations

from seedbed.core.demo.seeds import IdeaSeed, md

PACKAGING_IDEAS: tuple[IdeaSeed, ...] = (
    IdeaSeed(
        "irene", "Replace black CPET trays with detectable or clear CPET",
        md("""
        **Problem.** Our lasagne, cottage pie and curry ranges use **black CPET trays**. Carbon
        black pigment absorbs the near-infrared light that sorting machines use, so most of
        these trays are never recognised at the recycling plant and end up incinerated, even
        though the material itself is recyclable.

        **Idea.** Move the ovenable range to either

        1. *clear CPET* (the food looks good through it, and retailers now accept it), or
        2. *NIR-detectable black* pigment, which our tray supplier already offers at about
           +0.4p per tray.

        Both stay ovenable to 220 °C, so no recipe or cooking-instruction changes.

        **Size of the prize.** Around 31 million trays a year, roughly 620 t of plastic that
        would become recyclable in practice, not just on paper. Under EPR fee modulation this
        should also move us out of the highest fee band.
        """),
        comments=(
            ("priya", "We trialled detectable black in 2024 on two SKUs and sealing was fine. "
                      "Clear CPET is harder: the tray shows browning at the edges after "
                      "reheating, so marketing wanted to see photos first."),
            ("ellie", "Happy to look at photos. Clear trays on the premium range could even "
                      "help - people like seeing the layers in a lasagne."),
            ("femi", "At +0.4p on 31m trays it is ~£124k a year. Do we have a number for the "
                     "EPR fee difference yet? That decides whether it pays for itself."),
            ("irene", "Not final until the modulated fees are published, but the draft bands "
                      "suggest it roughly pays for itself. I will share the working."),
        ),
        votes=9,
    ),
    IdeaSeed(
        "priya", "Pressed-board ovenable tray for the pie range",
        md("""
        Pressed paperboard trays with a thin barrier coating are now used by several
        competitors for pies and gratins. They go in the oven, and they go in the paper bin.

        | | current PP tray | pressed board tray |
        |---|---|---|
        | weight | 18 g plastic | 14 g board + 1 g coating |
        | oven / microwave | both | both |
        | kerbside recyclable | rarely | yes |
        | unit cost (quote) | 6.1p | 7.8p |

        **What I need:** two weeks on line 4 at Leeds and 200 trays from Kestrel Packaging to
        run sealing and shelf-life tests (21 days at 5 °C), plus a small consumer panel on how
        the pies look after cooking.
        """),
        comments=(
            ("aisha", "Shelf-life test must include a leak check after the drop test. Board "
                      "trays can wick at the corners if the coating is thin. Happy to set up "
                      "the protocol with you."),
            ("evaluator", "Sensory side: the pastry base may cook differently on board. Let's "
                          "add a triangle test against the current tray."),
            ("dan", "Line 4 has a quiet week at the end of next month if you want it."),
        ),
        votes=7,
    ),
    IdeaSeed(
        "kasia", "Drop the snap-on lid from the soup pots",
        md("""
        Every 600 g soup pot has a **foil seal and a PP snap-on lid** on top of it. The seal
        keeps the soup safe; the lid is only there so people can close the pot again.

        On the line we fit about 45,000 lids a day. If we stopped:

        - about 5.2 g less plastic per pot, which is **~85 t a year**
        - one fewer machine on the line (the lid applicator jams at least once a shift)
        - smaller outer cases, so more pots per pallet

        We could print "keep leftovers covered in the fridge" on the pot instead.
        """),
        comments=(
            ("nadia", "Our last shopper survey: 38% say they reuse the lid for leftovers. So "
                      "not zero, but most don't. Worth a test with one retailer."),
            ("sam", "One of our retailers asked exactly this in the last range review. I can "
                    "raise it at the next meeting if we have a cost."),
            ("contributor", "From the line side: yes please. The lid applicator is the most common "
                      "stop on the soup line."),
            ("manager", "Shortlisted. Sam, could you and Kasia put the retailer question and "
                        "the line numbers on one page for the review on the 14th?"),
        ),
        votes=12,
    ),
    IdeaSeed(
        "joanna", "Returnable crates to our two biggest depots instead of shrink-wrapped cases",
        md("""
        Most of our volume goes to two retailer depots, 40 and 70 miles away. Today each case
        is a printed corrugated tray, shrink-wrapped in LDPE, then the pallet is
        stretch-wrapped.

        **Proposal:** use a crate pool (the retailers already run one for produce) for those
        two depots.

        * no shrink film on cases (about 140 t LDPE a year)
        * no case trays for those lanes
        * crates come back on the same lorries that bring our empty pallets

        Risks: crate washing capacity at the depot, and we would need new labelling for the
        crate ends.
        """),
        comments=(
            ("paul", "Pool hire is roughly 9p per trip plus washing. I will get two quotes so "
                     "we can compare against case cost plus film."),
            ("marcus", "Planning impact is small if it's only those two depots. The case "
                       "count per crate must match the order multiple though."),
        ),
        votes=8,
    ),
    IdeaSeed(
        "stefan", "Down-gauge the lidding film from 40 µm to 30 µm",
        md("""
        The lidding film on the ready-meal trays is 40 µm PET. The supplier's 30 µm grade has
        the same peel and anti-fog properties and is already used by other chilled-food
        producers.

        25 % less lidding film, about 55 t a year, with no change for the shopper.

        **Test plan**
        1. Seal-strength and burst tests on line 3 (sealing temperature may need +5 °C)
        2. 1,000-pack run with leak detection
        3. Transport test on a full pallet to a depot and back
        """),
        comments=(
            ("priya", "Seal integrity is the main risk; the thinner film is less forgiving of "
                      "food on the flange. The line's flange wipe needs to be working."),
            ("olu", "The flange wipe on line 3 was rebuilt in September, so it's a good line "
                    "to try it on."),
        ),
        votes=5,
    ),
    IdeaSeed(
        "ben", "Mono-material PP pots for the cooking sauces",
        md("""
        Our 350 g cooking-sauce pots are PP, but the lid is PET and the label is a paper-PE
        laminate. Three materials, so the pot is sorted as mixed plastic.

        Make **pot, lid and label all PP** (in-mould label). The recycler then gets clean PP,
        which is the stream with the best market.

        Extra benefit: in-mould labels don't peel in the chiller, which is one of our top
        complaints from store staff.
        """),
        comments=(
            ("priya", "Kestrel quoted IML pots last year; tooling was the issue, not unit "
                      "cost. Could be timed with the pot redesign planned for next spring."),
        ),
        votes=6,
    ),
    IdeaSeed(
        "sam", "Bag-in-box for the 2 kg catering sauces",
        md("""
        Food-service customers (pubs, staff canteens) buy our sauces in **2 kg PP tubs**.
        Kitchens tell us the tubs are awkward to scrape out and they throw away ~5 % of the
        sauce.

        A 10 kg bag-in-box with a tap would:

        - replace five tubs with one thin bag and a cardboard box
        - let chefs portion straight onto the plate
        - cut sauce waste in the kitchen, which is a selling point for us
        """),
        comments=(
            ("megan", "Filling bag-in-box needs a different filler head. The Wrexham sauce "
                      "line has space for one next to filler 2."),
        ),
        votes=4,
    ),
    IdeaSeed(
        "irene", "Weigh every pack component once and keep it in the specification system",
        md("""
        For EPR reporting we estimate packaging weights from supplier drawings, in a
        spreadsheet that three people edit. The numbers are often out by 10-20 %.

        Proposal: **weigh each component once** (tray, film, sleeve, label, case) when a pack
        is approved and store it with the product specification. Then:

        - EPR reports come straight from the system
        - we can rank products by plastic per kg of food and go after the worst first
        - new packs can't be approved without a weight
        """),
        comments=(
            ("femi", "Yes. Our EPR invoice is calculated from these numbers, so errors cost "
                     "us real money in both directions."),
            ("ahmed", "The spec system has spare custom fields, so this could be a small "
                      "change. Happy to help with the import."),
        ),
        votes=3,
    ),
    IdeaSeed(
        "grace", "Reusable liners for ingredient tote bins",
        md("""
        Diced vegetables arrive in tote bins lined with a **single-use PE liner**, which we
        cut out and bin. That's 60-80 liners a day at Leeds alone.

        Some suppliers offer washable liners or liner-free totes that are cleaned between
        trips. Ask our top three vegetable suppliers whether they can switch.

        Not in EPR scope (it's inbound), but it's our waste bill and our plastic.
        """),
        comments=(
            ("paul", "Two of the three already do this for other customers. I'll put it on "
                     "the agenda for the next supplier reviews."),
        ),
        votes=2,
    ),
    IdeaSeed(
        "chloe", "Seaweed-based film for the fresh herb sachets",
        md("""
        The fresh herb garnish sachets in our premium meals are a tiny PE bag. There are now
        films made from seaweed extract that are home-compostable.

        I know it's a small volume, but it's visible to the shopper and could be a story for
        the premium range.
        """),
        comments=(
            ("evaluator", "Interesting, but herbs are humid and these films tend to soften "
                          "above 80% relative humidity. We'd need a shelf-life test before "
                          "anything else."),
            ("chloe", "Fair point. I'll ask the supplier for their humidity data first."),
        ),
        votes=1,
    ),
)

ENERGY_IDEAS: tuple[IdeaSeed, ...] = (
    IdeaSeed(
        "liam", "Quarterly ultrasonic survey for compressed-air leaks",
        md("""
        Compressed air is our most expensive form of energy, and leaks are usually **20-30 %**
        of what a compressor makes. Last month I borrowed an ultrasonic detector for a day at
        Leeds:

        | area | leaks found | estimated loss |
        |---|---|---|
        | packing hall | 14 | 9 l/s |
        | soup line | 6 | 4 l/s |
        | goods in | 3 | 2 l/s |

        That's about **£11,000 a year** from one afternoon. Proposal: buy a detector (~£2,500),
        tag leaks on a survey every quarter and fix them in the next maintenance window.
        """),
        comments=(
            ("olu", "Tagging only works if the tags get closed out. Can we put the leaks in "
                    "the maintenance system as work orders?"),
            ("gareth", "Wrexham would like the detector for a week every quarter too."),
            ("tom", "Payback of a few months. No need to wait for the challenge to close on "
                    "this one."),
        ),
        votes=8,
    ),
    IdeaSeed(
        "olu", "Pre-heat wash-down water with heat from the refrigeration compressors",
        md("""
        The ammonia compressors reject heat to the roof condensers all day, while the
        wash-down system heats mains water from 10 °C to 60 °C with gas.

        A **de-superheater** on the compressor discharge can lift the wash water to ~45 °C for
        free; gas only does the last 15 °C.

        - gas saving estimate: 600-700 MWh a year at Leeds
        - also takes load off the condensers on hot days
        - needs a buffer tank because wash-down is in the evening and the compressors work
          hardest in the afternoon
        """),
        comments=(
            ("femi", "Do we have a quote? I'd like to see the payback with current gas "
                     "prices, not last year's."),
            ("olu", "Budget quote is £85-110k including the tank. I'll get a proper one."),
            ("claire", "This is the kind of project we should bring to the capital review in "
                       "March. Please keep it moving."),
        ),
        votes=10,
    ),
    IdeaSeed(
        "dan", "Switch off the blast chiller fans during the hygiene shift",
        md("""
        During the 2-hour hygiene shift the blast chillers on line 2 are empty, doors open,
        fans running. There's no reason for them to run.

        Add a "hygiene mode" to the chiller controller that stops the evaporator fans and
        lets the coils defrost. Maybe 20 minutes of programming.
        """),
        comments=(
            ("liam", "The controllers support a schedule. I'd link it to the door switch "
                     "instead of a clock, so it works whatever time hygiene starts."),
        ),
        votes=5,
    ),
    IdeaSeed(
        "stefan", "Hinged lids and a simmer timer for the soup kettles",
        md("""
        The six steam-jacketed kettles on the soup line run **with open tops** while soups
        simmer. We lose heat and a lot of steam into the room (which then needs extracting).

        - fit hinged, counterweighted lids
        - add a simmer timer so the steam valve drops to a holding rate when the batch is done

        I estimate 10-15 % less steam on the soup line, and a less humid hall.
        """),
        comments=(
            ("kasia", "Lids must be hinged, we can't lift the old ones safely. And we need a "
                      "window to check the simmer."),
            ("yusuf", "Counterweighted lids need a guarding check before they go in. Ask me "
                      "when you have a design."),
        ),
        votes=6,
    ),
    IdeaSeed(
        "gareth", "Sub-meters so each Wrexham line sees its own kWh per tonne",
        md("""
        At Wrexham we have one electricity meter and one gas meter for the whole site. We
        can't tell which line or which shift uses more, so nobody can improve it.

        **Idea:** sub-meter the 4 lines, the refrigeration plant and compressed air (about 12
        meters), and show kWh per tonne on the line screens each shift.

        What gets measured on the shop floor gets managed on the shop floor.
        """),
        comments=(
            ("liam", "If we buy meters with Modbus I can wire them onto the PLC network, and "
                     "IT can show them next to the OEE figures. No new software needed."),
            ("tom", "Supportive. Let's make sure we define kWh per tonne the same way at "
                    "both sites before the numbers go on screens."),
        ),
        votes=7,
    ),
    IdeaSeed(
        "megan", "Door-open alarms on the chill stores",
        md("""
        The chill store doors at Wrexham get propped open during busy loading. The strip
        curtains are torn and nobody notices the door is open until the temperature alarm
        goes off.

        A simple door-open alarm (beep after 60 seconds, light after 2 minutes) and new strip
        curtains would fix most of it.
        """),
        comments=(
            ("gareth", "Cheap and quick. Let's just do it - I'll raise the order."),
        ),
        votes=4,
    ),
    IdeaSeed(
        "contributor", "Shift-start checklist: only switch on what the plan needs",
        md("""
        At the start of the early shift at Leeds we switch **everything** on: ovens pre-heat
        for 90 minutes, all conveyors run, both spiral chillers start. Often two of the
        lines don't get product until 8 o'clock.

        A short checklist linked to the day's production plan:

        1. ovens on 45 minutes before first product on that line
        2. conveyors on when the line starts, not at shift start
        3. second spiral chiller only when the plan needs it

        No capital needed, just a habit.
        """),
        comments=(
            ("dan", "Agree. We can add it to the shift handover sheet on the late shift."),
        ),
        votes=5,
    ),
    IdeaSeed(
        "irene", "Solar PV on the Wrexham warehouse roof through a power purchase agreement",
        md("""
        The Wrexham warehouse roof (about 6,000 m²) faces south and was re-roofed in 2022. A
        third party could install around **1 MWp of solar** and sell us the electricity under
        a 20-year power purchase agreement, with no capital from us.

        - roughly 15 % of Wrexham's electricity
        - fixed price per kWh for 20 years, so less exposure to the market
        - a visible commitment for customers who ask about our carbon plan
        """),
        comments=(
            ("tom", "A PPA is a long commitment; I'd want the landlord question and the "
                    "price indexation clauses checked before we go further."),
            ("claire", "Worth a feasibility study. Let's ask two providers."),
        ),
        votes=6,
    ),
    IdeaSeed(
        "kasia", "Steam trap survey under platform 3",
        md("""
        Under platform 3 at Leeds there are several steam traps that hiss all the time. I
        think some are stuck open and blow live steam into the condensate line.

        Could we have someone check them, and then check all traps once a year?
        """),
        comments=(
            ("olu", "You're right, two of them failed open. Replaced last week. A yearly "
                    "survey is a good idea - a failed trap can waste a few thousand pounds a "
                    "year."),
        ),
        votes=3,
    ),
)
