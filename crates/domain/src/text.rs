//! Japanese text as people type it: the same word arrives in hiragana or katakana, in full- or
//! half-width letters, with or without spaces. Searching folds all of these to one form, so that
//! やまだ finds ヤマダ and ｳｪﾌﾞ finds ウェブ, and indexes that form by its pieces of one to three
//! characters, so that short words such as 経理 or 動画 are found exactly and longer ones by
//! their three-character pieces.

use std::collections::BTreeSet;

use unicode_normalization::UnicodeNormalization;

/// Full-width katakana for a reading typed in hiragana or half-width katakana (other characters
/// are kept, full-width ASCII becomes ASCII): はぎ, ﾊｷﾞ and ハギ all become ハギ.
pub fn to_katakana(s: &str) -> String {
    s.nfkc().map(hiragana_to_katakana).collect()
}

fn hiragana_to_katakana(c: char) -> char {
    match c {
        // ぁ…ゖ and ゝゞ map to ァ…ヶ and ヽヾ, 0x60 code points further on.
        '\u{3041}'..='\u{3096}' | '\u{309D}'..='\u{309E}' => {
            char::from_u32(c as u32 + 0x60).unwrap_or(c)
        }
        c => c,
    }
}

/// A phone number as typed on a Japanese keyboard made plain: full-width digits and signs
/// become ASCII and every dash-like mark (ー, －, ‐, −) a hyphen, so that ０９０ー１２３４ー５６７８
/// is accepted as 090-1234-5678.
pub fn plain_phone(s: &str) -> String {
    s.trim()
        .nfkc()
        .map(|c| match c {
            'ー' | '‐' | '‑' | '‒' | '–' | '—' | '―' | '−' | 'ｰ' => '-',
            c => c,
        })
        .collect()
}

/// Separates the parts of an indexed text (a name and its reading, or one skill from the
/// next) so that no match spans two of them. [`fold`] removes it from anything typed.
pub const SEPARATOR: char = '\u{1F}';

/// The form text is compared in: width and kana folded ([`to_katakana`]), letters lower-case,
/// and every space, middle dot and control character removed, so that 山田花子 matches 山田 花子.
pub fn fold(s: &str) -> String {
    to_katakana(s)
        .chars()
        .filter(|c| !c.is_whitespace() && !c.is_control() && !matches!(c, '・' | '･'))
        .flat_map(char::to_lowercase)
        .collect()
}

/// Several texts folded and joined with [`SEPARATOR`], empty parts left out.
pub fn fold_parts<'a>(parts: impl IntoIterator<Item = &'a str>) -> String {
    let folded: Vec<String> = parts
        .into_iter()
        .map(fold)
        .filter(|p| !p.is_empty())
        .collect();
    folded.join(&SEPARATOR.to_string())
}

/// The longest pieces of text the index holds: words of up to three characters are looked up
/// whole, longer ones by their three-character pieces.
pub const MAX_TERM: usize = 3;

/// The index terms of folded text: every run of one to [`MAX_TERM`] characters within a part.
/// A query's terms ([`query_terms`]) are all present in any text that contains it.
pub fn terms(folded: &str) -> BTreeSet<String> {
    terms_from(folded, 1)
}

/// The index terms of at least `min` characters: a kind of record with long texts (postings)
/// leaves out single characters, which would be most of its rows and find almost everything.
pub fn terms_from(folded: &str, min: usize) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for part in folded.split(SEPARATOR) {
        let chars: Vec<char> = part.chars().collect();
        for n in min.max(1)..=MAX_TERM {
            out.extend(chars.windows(n).map(|w| w.iter().collect::<String>()));
        }
    }
    out
}

/// The terms to look up for a folded query: the query itself when it is at most [`MAX_TERM`]
/// characters long (its one term says exactly which texts contain it), else its pieces of
/// [`MAX_TERM`] characters (texts with all of them may still lack the query: check the text).
pub fn query_terms(folded: &str) -> Vec<String> {
    let chars: Vec<char> = folded.chars().collect();
    if chars.is_empty() {
        return vec![];
    }
    if chars.len() <= MAX_TERM {
        return vec![folded.to_owned()];
    }
    let mut pieces: Vec<String> = chars
        .windows(MAX_TERM)
        .map(|w| w.iter().collect::<String>())
        .collect();
    pieces.sort();
    pieces.dedup();
    pieces
}

/// Whether the texts holding all of a query's terms hold the query itself: true for queries of at
/// most [`MAX_TERM`] characters.
pub fn terms_are_exact(folded: &str) -> bool {
    folded.chars().count() <= MAX_TERM
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn readings_become_full_width_katakana() {
        assert_eq!(to_katakana("はぎし"), "ハギシ");
        assert_eq!(to_katakana("ﾊｷﾞｼ"), "ハギシ");
        assert_eq!(to_katakana("ﾔﾏｸﾞﾁｹﾝ"), "ヤマグチケン");
        assert_eq!(to_katakana("ゔぁいおりん"), "ヴァイオリン");
        assert_eq!(to_katakana("ｳｪﾌﾞ ﾃﾞｻﾞｲﾝ"), "ウェブ デザイン");
        assert_eq!(to_katakana("ヤマダ　ハナコ"), "ヤマダ ハナコ");
    }

    #[test]
    fn folding_unifies_width_kana_case_and_spaces() {
        assert_eq!(fold("やまだ はなこ"), fold("ヤマダハナコ"));
        assert_eq!(fold("ＷＥＢ"), "web");
        assert_eq!(fold("Web"), "web");
        assert_eq!(fold("ｳｪﾌﾞ"), fold("うぇぶ"));
        assert_eq!(fold("山田　花子"), "山田花子");
    }

    #[test]
    fn terms_hold_every_query_term_of_a_substring() {
        let text = fold("データ入力と経理");
        let all = terms(&text);
        for q in ["経理", "データ", "でーた", "入力", "理", "ﾃﾞｰﾀ"] {
            let qt = query_terms(&fold(q));
            assert!(!qt.is_empty(), "{q}");
            assert!(qt.iter().all(|t| all.contains(t)), "{q}: {qt:?}");
        }
        assert!(!query_terms(&fold("動画")).iter().all(|t| all.contains(t)));
        assert_eq!(query_terms(""), Vec::<String>::new());
        let parts = fold_parts(["山田 花子", "", "やまだ はなこ"]);
        assert_eq!(parts, "山田花子\u{1F}ヤマダハナコ");
        assert!(!terms(&parts).contains("子ヤ"), "no term spans two parts");
        assert_eq!(fold("a\u{1F}b"), "ab");
        assert_eq!(
            query_terms("ヤマダ"),
            vec!["ヤマダ"],
            "three characters: one exact term"
        );
        assert_eq!(
            query_terms("ヤマダハナ"),
            vec!["ダハナ", "マダハ", "ヤマダ"]
        );
        assert!(terms_are_exact("経理") && !terms_are_exact("データ入力"));
    }
}
