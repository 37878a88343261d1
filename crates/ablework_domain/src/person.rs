//! The vocabulary of a person's record: household type, education and
//! employment status, with their stable codes and their names for people.

/// Declares a closed vocabulary with stable snake_case codes and bilingual
/// labels, so every list of options reads the same way.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* $variant,)+
        }

        impl $name {
            /// Every value, in display order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The stable code used in the API, the database and exports.
            pub fn code(self) -> &'static str {
                match self { $($name::$variant => $code,)+ }
            }

            /// Parses a stable code.
            pub fn from_code(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }

            /// The name for people.
            pub fn label(self, lang: $crate::lang::Lang) -> &'static str {
                match (self, lang) {
                    $(($name::$variant, $crate::lang::Lang::Zh) => $zh, ($name::$variant, $crate::lang::Lang::En) => $en,)+
                }
            }
        }
    };
}

pub(crate) use vocabulary;

vocabulary! {
    /// Household registration type (户籍类型).
    Hukou {
        /// 城镇.
        Urban => "urban", "城镇", "Urban";
        /// 农村.
        Rural => "rural", "农村", "Rural";
    }
}

vocabulary! {
    /// Highest level of education completed (文化程度).
    Education {
        /// No schooling.
        None => "none", "未上学", "No schooling";
        /// 小学.
        Primary => "primary", "小学", "Primary school";
        /// 初中.
        JuniorSecondary => "junior_secondary", "初中", "Junior secondary";
        /// 高中.
        SeniorSecondary => "senior_secondary", "高中", "Senior secondary";
        /// 中专 / 职高.
        Vocational => "vocational", "中专/职高", "Vocational secondary";
        /// 大专.
        College => "college", "大专", "College";
        /// 本科及以上.
        BachelorOrAbove => "bachelor_or_above", "本科及以上", "Bachelor's or above";
    }
}

vocabulary! {
    /// Whether the person is in work now (就业状态).
    EmploymentStatus {
        /// 未就业.
        Unemployed => "unemployed", "未就业", "Unemployed";
        /// 已就业.
        Employed => "employed", "已就业", "Employed";
    }
}

/// Masks a person's name for display: the surname stays, every other
/// character becomes `*` (`张三丰` → `张**`).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.chars();
    match chars.next() {
        Some(first) => std::iter::once(first).chain(chars.map(|_| '*')).collect(),
        None => String::new(),
    }
}

/// Masks a mobile number for display: `13812341234` → `138****1234`.
/// Anything that is not 11 characters long is masked whole but for its last
/// two characters, so no unexpected format leaks.
pub fn mask_phone(phone: &str) -> String {
    let chars: Vec<char> = phone.chars().collect();
    if chars.len() == 11 {
        let head: String = chars[..3].iter().collect();
        let tail: String = chars[7..].iter().collect();
        format!("{head}****{tail}")
    } else {
        let keep = chars.len().saturating_sub(2);
        chars
            .iter()
            .enumerate()
            .map(|(index, c)| if index < keep { '*' } else { *c })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_only_the_surname() {
        for (input, expected) in [
            ("张三", "张*"),
            ("欧阳娜娜", "欧***"),
            ("李", "李"),
            ("", ""),
        ] {
            assert_eq!(mask_name(input), expected);
        }
    }

    #[test]
    fn phones_show_prefix_and_last_four() {
        assert_eq!(mask_phone("13812341234"), "138****1234");
        assert_eq!(mask_phone("022-1234"), "******34");
    }

    #[test]
    fn codes_round_trip() {
        for value in Education::ALL {
            assert_eq!(Education::from_code(value.code()), Some(*value));
        }
        assert_eq!(Hukou::from_code("urban"), Some(Hukou::Urban));
        assert_eq!(EmploymentStatus::from_code("x"), None);
    }
}
