"""A stand-in feature app whose demo.py the seeder discovery must find."""
