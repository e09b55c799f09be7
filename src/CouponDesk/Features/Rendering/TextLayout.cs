using System.Globalization;
using System.Text;
using SkiaSharp;

namespace CouponDesk.Features.Rendering;

/// <summary>Line breaking for the coupon's short texts: at spaces where possible, between any two characters otherwise (as Korean allows).</summary>
public static class TextLayout
{
    public const string Ellipsis = "…";

    /// <summary>NFC, whitespace runs (tabs, line breaks) collapsed to one space, trimmed: the text as it is drawn and checked.</summary>
    public static string Normalize(string? text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return "";
        }

        var result = new StringBuilder(text.Length);
        var pendingSpace = false;
        foreach (var c in text.Normalize(NormalizationForm.FormC))
        {
            if (char.IsWhiteSpace(c))
            {
                pendingSpace = result.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                result.Append(' ');
                pendingSpace = false;
            }

            result.Append(c);
        }

        return result.ToString();
    }

    /// <summary>Breaks <paramref name="text"/> into at most <paramref name="maxLines"/> lines; the last one ends in "…" when it did not fit.</summary>
    public static (IReadOnlyList<string> Lines, bool Truncated) Wrap(string text, SKFont font, float maxWidth, int maxLines)
    {
        var lines = new List<string>();
        var line = new StringBuilder();
        var elements = TextElements(text);
        var i = 0;
        while (i < elements.Count)
        {
            // The next word: spaces stay attached to the word before them and are trimmed at line ends.
            var wordEnd = i;
            while (wordEnd < elements.Count && elements[wordEnd] != " ")
            {
                wordEnd++;
            }

            var word = string.Concat(elements.Skip(i).Take(wordEnd - i));
            var candidate = line.Length == 0 ? word : line + " " + word;
            if (font.MeasureText(candidate) <= maxWidth)
            {
                line.Clear().Append(candidate);
                i = wordEnd + 1;
                continue;
            }

            if (line.Length > 0)
            {
                lines.Add(line.ToString());
                line.Clear();
                continue;
            }

            // A word longer than a line: take as many characters as fit (at least one).
            var taken = 0;
            while (i + taken < wordEnd && font.MeasureText(line + elements[i + taken]) <= maxWidth)
            {
                line.Append(elements[i + taken]);
                taken++;
            }

            if (taken == 0)
            {
                line.Append(elements[i]);
                taken = 1;
            }

            lines.Add(line.ToString());
            line.Clear();
            i += taken;
            if (i < elements.Count && elements[i] == " ")
            {
                i++;
            }
        }

        if (line.Length > 0)
        {
            lines.Add(line.ToString());
        }

        if (lines.Count <= maxLines)
        {
            return (lines, false);
        }

        var kept = lines.Take(maxLines).ToList();
        kept[^1] = WithEllipsis(kept[^1], font, maxWidth);
        return (kept, true);
    }

    private static string WithEllipsis(string line, SKFont font, float maxWidth)
    {
        var elements = TextElements(line);
        var count = elements.Count;
        while (count > 0 && font.MeasureText(string.Concat(elements.Take(count)).TrimEnd() + Ellipsis) > maxWidth)
        {
            count--;
        }

        return string.Concat(elements.Take(count)).TrimEnd() + Ellipsis;
    }

    private static List<string> TextElements(string text)
    {
        var elements = new List<string>(text.Length);
        var enumerator = StringInfo.GetTextElementEnumerator(text);
        while (enumerator.MoveNext())
        {
            elements.Add(enumerator.GetTextElement());
        }

        return elements;
    }
}
