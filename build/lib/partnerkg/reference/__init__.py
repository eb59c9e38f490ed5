"""Reference data every stage may use: countries in every language, zones, the agreement-kind
scheme, Erasmus codes, geography (GeoNames places and regions), the word lists of institution names.
"""
