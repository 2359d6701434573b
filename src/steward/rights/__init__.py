"""Rights holders: who may inspect, consent to disclosure and ask for amendment of a student's
record on a given day (R9–R15, R17, R135). Pure rules in `holders`, database reads in
`selectors`."""
