using System.Globalization;

namespace Aurous.Client.Benchmarks;

internal static class Figures
{
    public static string Format(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);

    public static double Median(IEnumerable<double> values)
    {
        var sorted = values.OrderBy(v => v).ToList();
        return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
    }

    public static void Note(string text) => Console.Error.WriteLine(text);
}
