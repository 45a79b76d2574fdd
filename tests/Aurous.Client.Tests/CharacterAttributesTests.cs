using System.Collections;
using System.Text.Json;

namespace Aurous.Client.Tests;

public class CharacterAttributesTests
{
    [Fact]
    public void FromDictionary_accepts_pascal_and_snake_case_keys_in_any_case()
    {
        var attributes = CharacterAttributes.FromDictionary(new Hashtable
        {
            ["HairColor"] = "black",
            ["eye_color"] = "brown",
            ["AGE"] = 28,
            ["additionalDetails"] = "scar",
            ["Body_Type"] = null,
        });

        Assert.Equal("black", attributes.HairColor);
        Assert.Equal("brown", attributes.EyeColor);
        Assert.Equal(28, attributes.Age);
        Assert.Equal("scar", attributes.AdditionalDetails);
        Assert.Null(attributes.BodyType);
    }

    [Fact]
    public void FromDictionary_names_every_unknown_key()
    {
        var error = Assert.Throws<AurousValidationException>(() => CharacterAttributes.FromDictionary(new Hashtable
        {
            ["HairColor"] = "black",
            ["Wings"] = "yes",
            ["tail_length"] = 3,
        }));

        Assert.Equal(AurousErrors.UnknownAttribute, error.ErrorId);
        Assert.Equal(AurousErrorCategory.InvalidArgument, error.Category);
        Assert.Contains("Wings", error.Message);
        Assert.Contains("tail_length", error.Message);
        Assert.Contains("HairColor", error.Message);
    }

    [Theory]
    [InlineData("28", 28)]
    [InlineData(28L, 28)]
    [InlineData(28.0, 28)]
    public void Age_accepts_whole_numbers_in_any_numeric_form(object value, int expected)
    {
        Assert.Equal(expected, CharacterAttributes.FromDictionary(new Hashtable { ["Age"] = value }).Age);
    }

    [Theory]
    [InlineData("old")]
    [InlineData(28.5)]
    [InlineData(-1)]
    public void Age_refuses_what_is_not_a_whole_number(object value)
    {
        var error = Assert.Throws<AurousValidationException>(() => CharacterAttributes.FromDictionary(new Hashtable { ["Age"] = value }));
        Assert.Equal(AurousErrors.InvalidAttributeValue, error.ErrorId);
        Assert.Equal("Age", error.ParameterName);
    }

    [Fact]
    public void MergeWith_keeps_current_fields_and_lets_non_null_changes_win_without_touching_either_input()
    {
        var current = new CharacterAttributes
        {
            Gender = "female",
            Age = 28,
            HairColor = "black",
            EyeColor = "brown",
            AdditionalFields = new Dictionary<string, JsonElement> { ["mood"] = JsonDocument.Parse("\"calm\"").RootElement },
        };
        var changes = new CharacterAttributes { HairColor = "red", Age = 29 };

        var merged = current.MergeWith(changes);

        Assert.Equal("female", merged.Gender);
        Assert.Equal(29, merged.Age);
        Assert.Equal("red", merged.HairColor);
        Assert.Equal("brown", merged.EyeColor);
        Assert.Equal("calm", merged.AdditionalFields!["mood"].GetString());
        Assert.Equal("black", current.HairColor);
        Assert.NotSame(current, merged);
        Assert.Equal("brown", current.MergeWith(null).EyeColor);
    }
}
