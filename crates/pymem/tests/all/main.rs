//! Integration tests, one binary (bumpalo's layout): each module is one area.

mod smoke;
