using Aurous.Client.Waiting;

namespace Aurous.Client.Tests;

public class PollScheduleTests
{
    private static readonly AurousBucketLimit Documented = new(240, 120);

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void Few_characters_are_polled_every_two_seconds_as_the_docs_recommend(int pending)
    {
        var schedule = new PollSchedule(PollSchedule.DefaultInterval, Documented);

        Assert.Equal(TimeSpan.FromSeconds(2), schedule.Interval(pending));
    }

    [Theory]
    [InlineData(4)]
    [InlineData(50)]
    [InlineData(1000)]
    public void Many_characters_stretch_the_interval_so_the_poll_rate_stays_within_80_percent_of_the_budget(int pending)
    {
        var schedule = new PollSchedule(PollSchedule.DefaultInterval, Documented);

        var pollsPerMinute = pending / schedule.Interval(pending).TotalMinutes;

        Assert.True(schedule.Interval(pending) > TimeSpan.FromSeconds(2));
        Assert.InRange(pollsPerMinute, 0.8 * 120 - 0.01, 0.8 * 120 + 0.01);
    }

    [Fact]
    public void Consecutive_polls_are_spaced_at_the_budgeted_rate()
    {
        var schedule = new PollSchedule(PollSchedule.DefaultInterval, Documented);

        Assert.Equal(TimeSpan.FromSeconds(60.0 / 96), schedule.Spacing);
    }

    [Fact]
    public void A_custom_minimum_and_a_custom_bucket_are_honoured()
    {
        var schedule = new PollSchedule(TimeSpan.FromMilliseconds(100), new AurousBucketLimit(10, 6000));

        Assert.Equal(TimeSpan.FromMilliseconds(100), schedule.Interval(1));
        Assert.Equal(TimeSpan.FromSeconds(0.25), schedule.Interval(20));
    }
}
