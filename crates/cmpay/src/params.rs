//! An ordered list of a message's fields, as (name, value) text pairs. The
//! text lives in one buffer, so parsing a 20-field body allocates twice, not
//! forty times.

use std::ops::Range;

#[derive(Clone, Default)]
/// Name/value pairs in the order they were added; names are unique.
pub struct Params {
    text: String,
    pairs: Vec<(Range<usize>, Range<usize>)>,
}

impl Params {
    /// No pairs.
    pub fn new() -> Params {
        Params::default()
    }

    /// No pairs, room for `pairs`.
    pub fn with_capacity(pairs: usize) -> Params {
        Params {
            text: String::with_capacity(pairs * 24),
            pairs: Vec::with_capacity(pairs),
        }
    }

    fn position(&self, name: &str) -> Option<usize> {
        // Lengths first: most names differ in length, and bytes need no
        // char-boundary checks.
        let (text, want) = (self.text.as_bytes(), name.as_bytes());
        self.pairs
            .iter()
            .position(|(n, _)| n.len() == want.len() && text[n.clone()] == *want)
    }

    /// The value of `name`, if present.
    pub fn get(&self, name: &str) -> Option<&str> {
        self.position(name)
            .map(|i| &self.text[self.pairs[i].1.clone()])
    }

    /// The value of `name`, searching from pair `hint` onwards first and
    /// wrapping around; returns the pair's index too. Reading fields in the
    /// order they arrived costs one comparison each.
    pub(crate) fn get_from(&self, hint: usize, name: &str) -> Option<(usize, &str)> {
        let (text, want) = (self.text.as_bytes(), name.as_bytes());
        let n = self.pairs.len();
        (0..n)
            .map(|k| (hint + k) % n)
            .find(|&i| {
                let r = &self.pairs[i].0;
                r.len() == want.len() && text[r.clone()] == *want
            })
            .map(|i| (i, &self.text[self.pairs[i].1.clone()]))
    }

    /// The value of `name`, or "" when absent.
    pub fn value(&self, name: &str) -> &str {
        self.get(name).unwrap_or("")
    }

    fn append(&mut self, s: &str) -> Range<usize> {
        let start = self.text.len();
        self.text.push_str(s);
        start..self.text.len()
    }

    /// Sets `name`, replacing an earlier value in place (keeping its position).
    pub fn set(&mut self, name: impl AsRef<str>, value: impl AsRef<str>) -> &mut Params {
        let (name, value) = (name.as_ref(), value.as_ref());
        let range = self.append(value);
        match self.position(name) {
            Some(i) => self.pairs[i].1 = range,
            None => {
                let name = self.append(name);
                self.pairs.push((name, range));
            }
        }
        self
    }

    /// Appends without checking for an earlier value (parsers check first).
    pub(crate) fn push(&mut self, name: &str, value: &str) {
        let name = self.append(name);
        let value = self.append(value);
        self.pairs.push((name, value));
    }

    /// Takes `name` out, returning its value.
    pub fn remove(&mut self, name: &str) -> Option<String> {
        let i = self.position(name)?;
        let (_, value) = self.pairs.remove(i);
        Some(self.text[value].to_string())
    }

    /// The pairs in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.pairs
            .iter()
            .map(|(n, v)| (&self.text[n.clone()], &self.text[v.clone()]))
    }

    /// How many pairs.
    pub fn len(&self) -> usize {
        self.pairs.len()
    }

    /// Whether there are no pairs.
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}

impl PartialEq for Params {
    fn eq(&self, other: &Params) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Params {}

impl std::fmt::Debug for Params {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl<N: AsRef<str>, V: AsRef<str>> FromIterator<(N, V)> for Params {
    fn from_iter<I: IntoIterator<Item = (N, V)>>(iter: I) -> Params {
        let mut p = Params::new();
        for (n, v) in iter {
            p.set(n, v);
        }
        p
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn set_replaces_in_place_and_remove_keeps_order() {
        let mut p = Params::new();
        p.set("a", "1").set("b", "2").set("a", "3");
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![("a", "3"), ("b", "2")]);
        assert_eq!(p.remove("a"), Some("3".into()));
        assert_eq!(p.iter().collect::<Vec<_>>(), vec![("b", "2")]);
        assert_eq!(p.get("a"), None);
        let q: Params = [("b", "2")].into_iter().collect();
        assert_eq!(p, q);
    }
}
