//! The one switch for regenerating committed test data. A variable set to `1` regenerates;
//! anything else (unset, `0`, empty) checks the committed files. `scripts/regen.sh` sets
//! both.

/// What may be regenerated.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Regen {
    /// The statement golden vectors (`testdata/golden/`): `MULTIPROVER_REGEN_GOLDEN`.
    Golden,
    /// The proof fixtures (`testdata/fixtures/<system>/`): `MULTIPROVER_REGEN_FIXTURES`.
    Fixtures,
}

impl Regen {
    /// The environment variable that asks for it.
    pub const fn var(self) -> &'static str {
        match self {
            Regen::Golden => "MULTIPROVER_REGEN_GOLDEN",
            Regen::Fixtures => "MULTIPROVER_REGEN_FIXTURES",
        }
    }
}

/// Whether this run regenerates `what`: its variable is exactly `1`.
pub fn enabled(what: Regen) -> bool {
    std::env::var(what.var()).as_deref() == Ok("1")
}
