"""Content rhythm: cadence targets per channel, published and planned items (copy pages'
``publish:`` front matter and post-list exports), the month calendar and the cadence
table. ``spec`` holds the front-matter fields, ``items`` gathers and judges (over the
weeks and months of ``windows``), ``views`` renders."""
