using System.Globalization;

namespace SinkIdempotency.Assessment;

/// <summary>Formats figures for the assessment rows' sentences, invariant culture.</summary>
internal static class AssessmentText
{
    public static string Number(double value) => value.ToString("#,0.##", CultureInfo.InvariantCulture);

    public static string Percent(double fraction) => (fraction * 100).ToString("0.#", CultureInfo.InvariantCulture) + " %";

    public static string Bytes(double bytes) => bytes switch
    {
        >= 1e12 => (bytes / 1e12).ToString("0.##", CultureInfo.InvariantCulture) + " TB",
        >= 1e9 => (bytes / 1e9).ToString("0.##", CultureInfo.InvariantCulture) + " GB",
        >= 1e6 => (bytes / 1e6).ToString("0.##", CultureInfo.InvariantCulture) + " MB",
        >= 1e3 => (bytes / 1e3).ToString("0.##", CultureInfo.InvariantCulture) + " kB",
        _ => bytes.ToString("0", CultureInfo.InvariantCulture) + " B",
    };

    public static string Duration(TimeSpan value) => value.TotalDays >= 1
        ? value.TotalDays.ToString("0.##", CultureInfo.InvariantCulture) + " d"
        : value.TotalHours >= 1
            ? value.TotalHours.ToString("0.##", CultureInfo.InvariantCulture) + " h"
            : value.TotalMinutes >= 1
                ? value.TotalMinutes.ToString("0.##", CultureInfo.InvariantCulture) + " min"
                : value.TotalSeconds.ToString("0.##", CultureInfo.InvariantCulture) + " s";
}
