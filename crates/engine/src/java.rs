//! Java runtimes and JavaMail: what each refuses by default
//! (`jdk.tls.disabledAlgorithms`, `jdk.certpath.disabledAlgorithms`; see the
//! reference notes), so findings can say which versions they apply to.

use serde::{Deserialize, Serialize};

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum JavaProfile {
    /// Java 8 before update 291 (TLS 1.0/1.1 still enabled).
    Java8Old,
    /// Java 8u291 and later.
    Java8,
    Java11,
    #[default]
    Java17,
    Java21,
}

impl JavaProfile {
    pub const ALL: [JavaProfile; 5] = [
        JavaProfile::Java8Old,
        JavaProfile::Java8,
        JavaProfile::Java11,
        JavaProfile::Java17,
        JavaProfile::Java21,
    ];

    pub fn label(self) -> &'static str {
        match self {
            JavaProfile::Java8Old => "Java 8 before 8u291",
            JavaProfile::Java8 => "Java 8u291 or later",
            JavaProfile::Java11 => "Java 11",
            JavaProfile::Java17 => "Java 17",
            JavaProfile::Java21 => "Java 21",
        }
    }

    pub fn key(self) -> &'static str {
        match self {
            JavaProfile::Java8Old => "8-old",
            JavaProfile::Java8 => "8",
            JavaProfile::Java11 => "11",
            JavaProfile::Java17 => "17",
            JavaProfile::Java21 => "21",
        }
    }

    pub fn from_key(k: &str) -> Option<JavaProfile> {
        JavaProfile::ALL.into_iter().find(|p| p.key() == k)
    }

    /// TLS 1.0 and 1.1 are disabled (April 2021 updates: 8u291, 11.0.11, and 16+).
    pub fn refuses_tls10_11(self) -> bool {
        self != JavaProfile::Java8Old
    }

    /// `TLS_RSA_*` suites are disabled by default (JDK 24; January 2026
    /// updates of 21 and 17). Older updates of 8 and 11 still allow them.
    pub fn refuses_tls_rsa(self) -> bool {
        matches!(self, JavaProfile::Java17 | JavaProfile::Java21)
    }
}

/// The Java versions that refuse TLS 1.0/1.1, as findings name them.
pub const TLS10_REFUSED_BY: &str = "Java 8u291+, 11.0.11+, 17, 21";
