//! Dates as text: RFC 3339 (analysis times, report dates) and the date
//! OpenSSL prints (`Nov 16 23:59:59 2026 GMT`), to and from Unix seconds.
//!
//! Why not the `time` crate's parsers: its format-description machinery was
//! several kilobytes of the page's code for three fixed formats. The calendar
//! arithmetic is Howard Hinnant's days-from-civil algorithm (proleptic
//! Gregorian, like Java's and OpenSSL's). Tests hold every function against
//! the `time` crate.

const MONTHS: [&str; 12] = [
    "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
];

fn is_leap(y: i64) -> bool {
    y % 4 == 0 && (y % 100 != 0 || y % 400 == 0)
}

fn days_in_month(y: i64, m: u32) -> u32 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a valid date.
fn days_from_civil(y: i64, m: u32, d: u32) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let m = i64::from(m);
    let doy = (153 * (if m > 2 { m - 3 } else { m + 9 }) + 2) / 5 + i64::from(d) - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The date of a day number since 1970-01-01.
fn civil_from_days(z: i64) -> (i64, u32, u32) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = (doy - (153 * mp + 2) / 5 + 1) as u32;
    let m = if mp < 10 { mp + 3 } else { mp - 9 } as u32;
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// Seconds since the epoch of a valid date and time of day, or `None`.
fn timestamp(y: i64, m: u32, d: u32, hh: u32, mm: u32, ss: u32) -> Option<i64> {
    let valid = (1..=12).contains(&m)
        && (1..=days_in_month(y, m)).contains(&d)
        && hh < 24
        && mm < 60
        && ss < 60;
    valid.then(|| days_from_civil(y, m, d) * 86_400 + i64::from(hh * 3600 + mm * 60 + ss))
}

/// `t` as RFC 3339 in UTC (`2026-11-26T10:21:48Z`), for years 0000–9999.
pub fn format_rfc3339(t: i64) -> Option<String> {
    let (days, secs) = (t.div_euclid(86_400), t.rem_euclid(86_400));
    let (y, m, d) = civil_from_days(days);
    (0..=9999).contains(&y).then(|| {
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs / 60 % 60,
            secs % 60
        )
    })
}

/// Exactly `n` ASCII digits at the start of `s`, as a number, and the rest.
fn digits(s: &str, n: usize) -> Option<(u32, &str)> {
    let head = s.get(..n)?;
    if !head.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    Some((head.parse().ok()?, &s[n..]))
}

fn expect(s: &str, c: char) -> Option<&str> {
    s.strip_prefix(c)
}

/// An RFC 3339 date-time (`2026-11-26T10:21:48.250+01:00`) as Unix seconds
/// and the milliseconds after them; digits below the millisecond dropped.
pub fn parse_rfc3339(s: &str) -> Option<(i64, u16)> {
    let (y, s) = digits(s, 4)?;
    let (mo, s) = digits(expect(s, '-')?, 2)?;
    let (d, s) = digits(expect(s, '-')?, 2)?;
    // RFC 3339 lets a space stand for the T (section 5.6, NOTE).
    let s = s.strip_prefix(['T', 't', ' '])?;
    let (hh, s) = digits(s, 2)?;
    let (mi, s) = digits(expect(s, ':')?, 2)?;
    let (ss, mut s) = digits(expect(s, ':')?, 2)?;
    let mut millis = 0u16;
    if let Some(frac) = s.strip_prefix('.') {
        let n = frac.bytes().take_while(u8::is_ascii_digit).count();
        if n == 0 {
            return None;
        }
        for (i, b) in frac[..n].bytes().take(3).enumerate() {
            if b.is_ascii_digit() {
                millis += u16::from(b - b'0') * [100, 10, 1][i];
            }
        }
        s = &frac[n..];
    }
    let offset = match s {
        "Z" | "z" => 0,
        _ => {
            let sign = match s.chars().next()? {
                '+' => 1,
                '-' => -1,
                _ => return None,
            };
            let (oh, rest) = digits(&s[1..], 2)?;
            let (om, rest) = digits(expect(rest, ':')?, 2)?;
            if !rest.is_empty() || oh > 23 || om > 59 {
                return None;
            }
            sign * i64::from(oh * 3600 + om * 60)
        }
    };
    let t = timestamp(i64::from(y), mo, d, hh, mi, ss)?;
    Some((t - offset, millis))
}

/// The date OpenSSL prints (`Nov 16 23:59:59 2026 GMT`, the day padded with
/// a space or not) as Unix seconds.
pub fn parse_openssl(s: &str) -> Option<i64> {
    let mut w = s.split_whitespace();
    let (mon, day, hms, year, zone) = (w.next()?, w.next()?, w.next()?, w.next()?, w.next()?);
    if w.next().is_some() || zone != "GMT" {
        return None;
    }
    let m = MONTHS.iter().position(|&n| n == mon)? as u32 + 1;
    let d = match day.len() {
        1 => digits(day, 1)?.0,
        2 => digits(day, 2)?.0,
        _ => return None,
    };
    let (hh, rest) = digits(hms, 2)?;
    let (mi, rest) = digits(expect(rest, ':')?, 2)?;
    let (ss, rest) = digits(expect(rest, ':')?, 2)?;
    let (y, rest2) = digits(year, 4)?;
    if !rest.is_empty() || !rest2.is_empty() {
        return None;
    }
    timestamp(i64::from(y), m, d, hh, mi, ss)
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::format_description::well_known::Rfc3339;
    use time::OffsetDateTime;

    #[test]
    fn calendar_round_trips_over_ten_thousand_years() {
        // Every 997th day from 0000-01-01 to 9999-12-31, both directions.
        let first = days_from_civil(0, 1, 1);
        let last = days_from_civil(9999, 12, 31);
        let mut z = first;
        while z <= last {
            let (y, m, d) = civil_from_days(z);
            assert_eq!(days_from_civil(y, m, d), z);
            let t = OffsetDateTime::from_unix_timestamp(z * 86_400).unwrap();
            assert_eq!(
                (y, m, d),
                (
                    i64::from(t.year()),
                    u8::from(t.month()) as u32,
                    u32::from(t.day())
                )
            );
            z += 997;
        }
    }

    #[test]
    fn formats_as_the_time_crate_does() {
        for t in [
            0,
            1,
            -1,
            951_782_400,
            1_798_675_199,
            253_402_300_799,
            -62_167_219_200,
            1_764_115_200 + 37_308,
        ] {
            let want = OffsetDateTime::from_unix_timestamp(t)
                .unwrap()
                .format(&Rfc3339)
                .unwrap();
            assert_eq!(format_rfc3339(t).as_deref(), Some(want.as_str()), "{t}");
        }
        assert_eq!(format_rfc3339(253_402_300_800), None);
        assert_eq!(format_rfc3339(-62_167_219_201), None);
    }

    #[test]
    fn parses_as_the_time_crate_does() {
        for s in [
            "2026-11-26T10:21:48Z",
            "2026-11-26t10:21:48z",
            "2024-02-29T23:59:59.999999+01:00",
            "2000-03-01T00:00:00.5-05:30",
            "2026-11-26T22:00:00.0+10:00",
            "2026-11-26T10:21:48.5+10:00",
            "1969-12-31T23:59:59Z",
            "2026-11-26T10:21:48.1234Z",
            "2026-11-26 10:21:48Z",
        ] {
            let d = OffsetDateTime::parse(s, &Rfc3339).unwrap();
            assert_eq!(
                parse_rfc3339(s),
                Some((d.unix_timestamp(), d.millisecond())),
                "{s}"
            );
        }
        for s in [
            "2023-02-29T00:00:00Z",
            "2026-13-01T00:00:00Z",
            "2026-11-26T24:00:00Z",
            "2026-11-26T10:21:48",
            "2026-11-26T10:21:48.Z",
            "2026-11-26T10:21:48+0100",
            "2026-11-26T10:21:48+24:00",
            "26-11-26T10:21:48Z",
            "2026-11-26T10:21:48Zjunk",
            "２026-11-26T10:21:48Z",
            "",
        ] {
            assert_eq!(parse_rfc3339(s), None, "{s}");
            assert!(
                OffsetDateTime::parse(s, &Rfc3339).is_err(),
                "time accepts {s}"
            );
        }
    }

    #[test]
    fn reads_openssl_dates() {
        let at = |s| OffsetDateTime::parse(s, &Rfc3339).unwrap().unix_timestamp();
        assert_eq!(
            parse_openssl("Nov 16 23:59:59 2026 GMT"),
            Some(at("2026-11-16T23:59:59Z"))
        );
        assert_eq!(
            parse_openssl("Feb  9 00:00:00 2030 GMT"),
            Some(at("2030-02-09T00:00:00Z"))
        );
        assert_eq!(
            parse_openssl("Feb 9 00:00:00 2030 GMT"),
            Some(at("2030-02-09T00:00:00Z"))
        );
        for bad in [
            "Feb 30 00:00:00 2030 GMT",
            "Foo 9 00:00:00 2030 GMT",
            "Feb 9 00:00:00 2030",
            "Feb 9 00:00:00 2030 UTC",
            "Feb 9 0:00:00 2030 GMT",
            "Feb 9 00:00:00 2030 GMT x",
        ] {
            assert_eq!(parse_openssl(bad), None, "{bad}");
        }
    }
}
