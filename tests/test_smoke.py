def test_customer_signs_in_and_sees_home(customer_client):
    soup = customer_client.soup("/")
    assert "Ayşe Demir" in soup.find("h1").text
