/// The stable name of each check; it is printed in brackets after every message.
public enum Rule: String, Sendable, Codable, CaseIterable {
    // Cross-references
    case brokenChapterLink = "broken-chapter-link"
    case brokenAnchor = "broken-anchor"
    case brokenFileLink = "broken-file-link"
    case missingAsset = "missing-asset"
    case pathOutsideContent = "path-outside-content"
    case linkToDraft = "link-to-draft"
    case emptyLinkDestination = "empty-link-destination"
    case unsafeLinkScheme = "unsafe-link-scheme"
    case emptyLinkText = "empty-link-text"
    case missingAltText = "missing-alt-text"
    case brokenExternalLink = "broken-external-link"
    case externalRedirect = "external-redirect"
    case externalLinkSkipped = "external-link-skipped"

    // Chapters and front matter
    case duplicateID = "duplicate-id"
    case invalidID = "invalid-id"
    case unknownTrack = "unknown-track"
    case frontMatter = "front-matter"
    case missingField = "missing-field"
    case invalidValue = "invalid-value"
    case unknownKey = "unknown-key"
    case unknownCallout = "unknown-callout"
    case misplacedCallout = "misplaced-callout"
    case rawHTML = "raw-html"
    case brokenLinkSyntax = "broken-link-syntax"
    case unusedGlossaryTerm = "unused-glossary-term"
    case unreachableChapter = "unreachable-chapter"
    case reviewOverdue = "review-overdue"
    case reviewMissing = "review-missing"
    case readingLevel = "reading-level"
    case placeholderText = "placeholder-text"

    // Plain language (with `plain_language:` in guide.yml)
    case longSentence = "long-sentence"
    case longParagraph = "long-paragraph"
    case abbreviationFirstUse = "abbreviation-first-use"
    case hardWord = "hard-word"
    case passiveVoice = "passive-voice"

    // Published addresses
    case publishedURLRemoved = "published-url-removed"
    case publishedURLs = "published-urls"
    case invalidRedirect = "invalid-redirect"

    // Translations
    case translationStale = "translation-stale"
    case translationSource = "translation-source"

    // Guide settings, glossary, templates, files
    case guideConfig = "guide-config"
    case glossary = "glossary"
    case template = "template"
    case unreadableFile = "unreadable-file"
    case unsafeFile = "unsafe-file"
    case markdownParse = "markdown-parse"
    case parseTimeout = "parse-timeout"
    case parseCrash = "parse-crash"
}
