"""Analysis the planning guides ask for: experiments, attribution, customers, UTM."""
