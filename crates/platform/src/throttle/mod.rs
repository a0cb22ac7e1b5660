//! Rate limits. Two kinds, for two jobs:
//! - [`Throttles`]: per client address (an IPv6 /64 counts as one) and per
//!   session, in memory, on every public, sign-in and heavy route — cheap
//!   enough to sit in front of a flood, and reset by a restart, which a flood
//!   gains nothing from.
//! - [`durable`]: counters in the database for what must hold across restarts
//!   and instances: SMS per destination number, password resets per login.
//!
//! A refusal is 429 with `Retry-After`.

pub mod durable;
pub mod http;
pub mod migration;

use crate::config::Config;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

/// What a route costs the server, so what it is allowed per client.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cost {
    /// Signing in, registering, codes, resets: guesses are what is limited.
    SignIn,
    /// Anyone, no session: look-ups and checks by token, digest or УИН.
    Public,
    /// Files: uploads that are hashed, parsed or decrypted, PDFs rendered.
    Heavy,
}

/// Who is asking: a client address (IPv6 by /64), or a session.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Key {
    Address(IpAddr),
    Session([u8; 16]),
}

impl Key {
    /// An IPv6 client can use its whole /64 (it usually gets one), so the /64
    /// is what is counted; IPv4 counts by address, mapped IPv6 as IPv4.
    pub fn address(ip: IpAddr) -> Self {
        match ip {
            IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
                Some(v4) => Self::Address(IpAddr::V4(v4)),
                None => {
                    let bits = u128::from(v6) & !((1u128 << 64) - 1);
                    Self::Address(IpAddr::V6(bits.into()))
                }
            },
            v4 => Self::Address(v4),
        }
    }
}

/// A limit: `burst` requests at once, one more every `refill`.
#[derive(Debug, Clone, Copy)]
pub struct Limit {
    pub burst: u32,
    pub refill: Duration,
}

impl Limit {
    fn quota(self) -> Quota {
        Quota::with_period(self.refill)
            .expect("validated: refill is positive")
            .allow_burst(NonZeroU32::new(self.burst).expect("validated: burst is positive"))
    }
}

/// The in-memory limiters, one per cost.
pub struct Throttles {
    sign_in: DefaultKeyedRateLimiter<Key>,
    public: DefaultKeyedRateLimiter<Key>,
    heavy: DefaultKeyedRateLimiter<Key>,
    clock: DefaultClock,
}

impl Throttles {
    pub fn from_config(c: &Config) -> Self {
        Self {
            sign_in: RateLimiter::keyed(c.auth_limit().quota()),
            public: RateLimiter::keyed(c.public_limit().quota()),
            heavy: RateLimiter::keyed(c.heavy_limit().quota()),
            clock: DefaultClock::default(),
        }
    }

    fn limiter(&self, cost: Cost) -> &DefaultKeyedRateLimiter<Key> {
        match cost {
            Cost::SignIn => &self.sign_in,
            Cost::Public => &self.public,
            Cost::Heavy => &self.heavy,
        }
    }

    /// Takes one request of `cost` for `key`; the wait in whole seconds
    /// (at least one) when there is none left.
    pub fn take(&self, cost: Cost, key: &Key) -> Result<(), i64> {
        self.limiter(cost).check_key(key).map_err(|not_until| {
            let wait = not_until.wait_time_from(self.clock.now());
            (wait.as_secs_f64().ceil() as i64).max(1)
        })
    }

    /// Forgets keys whose buckets are full again, so that a flood from many
    /// addresses leaves no memory behind.
    pub fn forget_idle(&self) {
        for cost in [Cost::SignIn, Cost::Public, Cost::Heavy] {
            let l = self.limiter(cost);
            l.retain_recent();
            l.shrink_to_fit();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_ipv6_slash_64_is_one_client_and_mapped_ipv4_is_ipv4() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:ffff:ffff:ffff:ffff".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(Key::address(a), Key::address(b));
        assert_ne!(Key::address(a), Key::address(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(
            Key::address(mapped),
            Key::Address("192.0.2.7".parse().unwrap())
        );
    }

    #[test]
    fn a_burst_is_spent_then_refused_with_a_wait() {
        let config = Config {
            public_rate_burst: 3,
            public_rate_refill_ms: 60_000,
            ..Config::default()
        };
        let t = Throttles::from_config(&config);
        let me = Key::address("192.0.2.1".parse().unwrap());
        let other = Key::address("192.0.2.2".parse().unwrap());
        for _ in 0..3 {
            assert!(t.take(Cost::Public, &me).is_ok());
        }
        let wait = t.take(Cost::Public, &me).unwrap_err();
        assert!((1..=60).contains(&wait), "{wait}");
        assert!(t.take(Cost::Public, &other).is_ok(), "others keep theirs");
        assert!(t.take(Cost::Heavy, &me).is_ok(), "other costs keep theirs");
    }
}
