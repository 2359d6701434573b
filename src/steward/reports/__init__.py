"""De-identified reporting (issue #9, R90–R99) and research extracts (R79, R91).

- `sdc`: the pure disclosure-avoidance engine (tables, suppression, coding, the LP audit);
- the report builder (`spec`, `aggregate`, `build`): counts and rates over the roster and the
  record, aggregated in SQL, as hierarchical tables with every margin, protected by `sdc`;
- releases (`models.Series`, `models.Release`, `actions.releases`): what was published, with
  its parameters, audit and determination, in a series whose earlier releases every new audit
  takes into account (R90, R97);
- research extracts (`extracts`, `anonymize`, `actions.extracts`): de-identified student-level
  files for a study agreement, with random surrogate ids and k-anonymity / ℓ-diversity (R91).
"""
