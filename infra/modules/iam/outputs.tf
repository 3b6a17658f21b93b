output "function_emails" {
  value = { for k, sa in google_service_account.function : k => sa.email }
}

output "function_members" {
  value = { for k, sa in google_service_account.function : k => sa.member }
}

output "push_email" {
  value = google_service_account.push.email
}

output "push_name" {
  value = google_service_account.push.name
}

output "berkas_s3_email" {
  value = google_service_account.berkas_s3.email
}

output "berkas_s3_member" {
  value = google_service_account.berkas_s3.member
}
