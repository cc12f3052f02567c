output "nothing" {
  value = "no description"
}
